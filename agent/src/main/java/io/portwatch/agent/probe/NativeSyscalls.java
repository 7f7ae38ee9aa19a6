package io.portwatch.agent.probe;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * The Linux syscalls of the FFM connect path ({@link ConnectPath#FFM_EPOLL}), bound once through the
 * Foreign Function &amp; Memory API (final in Java 22).
 *
 * <p>Why reflection: the agent compiles at {@code --release 17} (CI and the default JDK are 17), where
 * {@code java.lang.foreign} does not exist. So the API is looked up reflectively, once, at start-up,
 * and what comes out are plain {@link MethodHandle}s whose types hold only {@code int} and
 * {@code long}: pointers are passed as 64-bit addresses (the same registers as a pointer on the
 * LP64 ABIs of x86-64 and aarch64), and the errno capture segment is bound in with
 * {@link MethodHandles#insertArguments}. The hot path then calls {@code static final}
 * handles with {@code invokeExact}, which compiles at release 17 and which the JIT inlines like a
 * direct call. One class, no multi-release jar, no second compiler in the build.
 *
 * <p>Every call that reports errno writes it into one shared native word: only the selector thread
 * makes those calls. {@link #wake} (any thread) uses a handle without errno capture.
 */
final class NativeSyscalls {

    // Linux values, the same on x86-64 and aarch64 (asm-generic).
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_STREAM = 1;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_ERROR = 4;
    static final int SO_LINGER = 13;
    static final int EPOLL_CLOEXEC = 0x80000;
    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_MOD = 3;
    static final int EPOLLIN = 0x1;
    static final int EPOLLOUT = 0x4;
    static final int EPOLLERR = 0x8;
    static final int EPOLLHUP = 0x10;
    static final int EPOLLONESHOT = 1 << 30;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EINPROGRESS = 115;

    /** struct epoll_event is packed on x86-64 (12 bytes), naturally aligned on aarch64 (16). */
    static final int EPOLL_EVENT_SIZE;
    static final int EPOLL_DATA_OFFSET;

    /** Null when the FFM path cannot run here; {@link #unavailable} says why. */
    private static final Bound BOUND;
    static final String UNAVAILABLE;

    static {
        boolean x86 = isX86();
        EPOLL_EVENT_SIZE = x86 ? 12 : 16;
        EPOLL_DATA_OFFSET = x86 ? 4 : 8;
        Bound bound = null;
        String why;
        try {
            why = platformProblem();
            if (why == null) {
                bound = new Bound();
            }
        } catch (Throwable t) { // NOPMD: any failure to bind means the NIO path, never a failed agent
            why = "binding the syscalls failed: " + t;
        }
        BOUND = bound;
        UNAVAILABLE = bound == null ? why : null;
    }

    private static final MethodHandle SOCKET = handle(b -> b.socket);
    private static final MethodHandle CONNECT = handle(b -> b.connect);
    private static final MethodHandle SETSOCKOPT = handle(b -> b.setsockopt);
    private static final MethodHandle GETSOCKOPT = handle(b -> b.getsockopt);
    private static final MethodHandle CLOSE = handle(b -> b.close);
    private static final MethodHandle EPOLL_CREATE1 = handle(b -> b.epollCreate1);
    private static final MethodHandle EPOLL_CTL = handle(b -> b.epollCtl);
    private static final MethodHandle EPOLL_WAIT = handle(b -> b.epollWait);
    private static final MethodHandle EVENTFD = handle(b -> b.eventfd);
    private static final MethodHandle READ = handle(b -> b.read);
    private static final MethodHandle WRITE_NO_ERRNO = handle(b -> b.writeNoErrno);
    private static final MethodHandle EPOLL_WAIT_NO_ERRNO = handle(b -> b.epollWaitNoErrno);
    private static final ByteBuffer ERRNO = BOUND == null ? null : BOUND.errno;
    private static final int ERRNO_OFFSET = BOUND == null ? 0 : BOUND.errnoOffset;

    private NativeSyscalls() {
    }

    static boolean available() {
        return BOUND != null;
    }

    /** Native memory for the caller's structs (sockaddr, epoll_event[], ...), never freed. */
    static ByteBuffer allocate(int bytes) {
        return BOUND.allocate(bytes);
    }

    /** The native address of a buffer from {@link #allocate}. */
    static long address(ByteBuffer buffer) {
        return BOUND.address(buffer);
    }

    /** errno of the last failed call on this (the selector) thread. */
    static int errno() {
        return ERRNO.getInt(ERRNO_OFFSET);
    }

    static int socket(int domain, int type, int protocol) throws Throwable {
        return (int) SOCKET.invokeExact(domain, type, protocol);
    }

    static int connect(int fd, long sockaddr, int length) throws Throwable {
        return (int) CONNECT.invokeExact(fd, sockaddr, length);
    }

    static int setsockopt(int fd, int level, int name, long value, int length) throws Throwable {
        return (int) SETSOCKOPT.invokeExact(fd, level, name, value, length);
    }

    static int getsockopt(int fd, int level, int name, long value, long lengthPointer) throws Throwable {
        return (int) GETSOCKOPT.invokeExact(fd, level, name, value, lengthPointer);
    }

    static int close(int fd) throws Throwable {
        return (int) CLOSE.invokeExact(fd);
    }

    static int epollCreate1(int flags) throws Throwable {
        return (int) EPOLL_CREATE1.invokeExact(flags);
    }

    static int epollCtl(int epfd, int op, int fd, long event) throws Throwable {
        return (int) EPOLL_CTL.invokeExact(epfd, op, fd, event);
    }

    static int epollWait(int epfd, long events, int max, int timeoutMillis) throws Throwable {
        return (int) EPOLL_WAIT.invokeExact(epfd, events, max, timeoutMillis);
    }

    static int eventfd(int initial, int flags) throws Throwable {
        return (int) EVENTFD.invokeExact(initial, flags);
    }

    static long read(int fd, long buffer, long count) throws Throwable {
        return (long) READ.invokeExact(fd, buffer, count);
    }

    /** write(2) without errno capture: safe from any thread. */
    static long writeFromAnyThread(int fd, long buffer, long count) throws Throwable {
        return (long) WRITE_NO_ERRNO.invokeExact(fd, buffer, count);
    }

    /** epoll_wait(2) without errno capture: for a thread other than the selector's. */
    static int epollWaitAnyThread(int epfd, long events, int max, int timeoutMillis) throws Throwable {
        return (int) EPOLL_WAIT_NO_ERRNO.invokeExact(epfd, events, max, timeoutMillis);
    }

    private static MethodHandle handle(java.util.function.Function<Bound, MethodHandle> pick) {
        return BOUND == null ? null : pick.apply(BOUND);
    }

    private static boolean isX86() {
        String arch = System.getProperty("os.arch", "");
        return arch.equals("amd64") || arch.equals("x86_64");
    }

    /** Why this JVM cannot take the FFM path, or null when it can. */
    private static String platformProblem() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.equals("Linux")) {
            return "not Linux (" + os + ")";
        }
        if (!isX86() && !arch.equals("aarch64")) {
            return "not x86-64 or aarch64 (" + arch + ")";
        }
        int feature = Runtime.version().feature();
        if (feature < 22) {
            return "Java " + feature + " (the Foreign Function & Memory API is final in 22)";
        }
        if (!nativeAccessEnabled()) {
            // Without it the JVM would warn on every start; the launcher and the image pass it.
            return "native access not enabled (java --enable-native-access=ALL-UNNAMED)";
        }
        return null;
    }

    private static boolean nativeAccessEnabled() {
        try {
            Method m = Module.class.getMethod("isNativeAccessEnabled");
            return (boolean) m.invoke(NativeSyscalls.class.getModule());
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** The reflective FFM bootstrap: everything java.lang.foreign is touched only here. */
    private static final class Bound {
        final MethodHandle socket;
        final MethodHandle connect;
        final MethodHandle setsockopt;
        final MethodHandle getsockopt;
        final MethodHandle close;
        final MethodHandle epollCreate1;
        final MethodHandle epollCtl;
        final MethodHandle epollWait;
        final MethodHandle eventfd;
        final MethodHandle read;
        final MethodHandle writeNoErrno;
        final MethodHandle epollWaitNoErrno;
        final ByteBuffer errno;
        final int errnoOffset;

        private final Object arena;
        private final Method arenaAllocate;
        private final Method asByteBuffer;
        private final Method ofBuffer;
        private final Method segmentAddress;
        private final Object linker;
        private final Object lookup;
        private final Method find;
        private final Method downcall;
        private final Method descriptorOf;
        private final Method descriptorOfVoid;
        private final Class<?> layoutClass;
        private final Class<?> optionClass;
        private final Object intLayout;
        private final Object longLayout;
        private final Object captureErrno;

        Bound() throws ReflectiveOperationException {
            Class<?> linkerC = Class.forName("java.lang.foreign.Linker");
            optionClass = Class.forName("java.lang.foreign.Linker$Option");
            Class<?> lookupC = Class.forName("java.lang.foreign.SymbolLookup");
            Class<?> descriptorC = Class.forName("java.lang.foreign.FunctionDescriptor");
            layoutClass = Class.forName("java.lang.foreign.MemoryLayout");
            Class<?> valueLayoutC = Class.forName("java.lang.foreign.ValueLayout");
            Class<?> segmentC = Class.forName("java.lang.foreign.MemorySegment");
            Class<?> arenaC = Class.forName("java.lang.foreign.Arena");
            Class<?> allocatorC = Class.forName("java.lang.foreign.SegmentAllocator");
            Class<?> pathElementC = Class.forName("java.lang.foreign.MemoryLayout$PathElement");

            linker = linkerC.getMethod("nativeLinker").invoke(null);
            lookup = linkerC.getMethod("defaultLookup").invoke(linker);
            find = lookupC.getMethod("find", String.class);
            Object optionArray = Array.newInstance(optionClass, 0);
            downcall = linkerC.getMethod("downcallHandle", segmentC, descriptorC, optionArray.getClass());
            Object layoutArray = Array.newInstance(layoutClass, 0);
            descriptorOf = descriptorC.getMethod("of", layoutClass, layoutArray.getClass());
            descriptorOfVoid = descriptorC.getMethod("ofVoid", layoutArray.getClass());
            intLayout = valueLayoutC.getField("JAVA_INT").get(null);
            longLayout = valueLayoutC.getField("JAVA_LONG").get(null);
            captureErrno = optionClass.getMethod("captureCallState", String[].class)
                    .invoke(null, (Object) new String[] {"errno"});

            arena = arenaC.getMethod("global").invoke(null);
            arenaAllocate = allocatorC.getMethod("allocate", long.class, long.class);
            asByteBuffer = segmentC.getMethod("asByteBuffer");
            ofBuffer = segmentC.getMethod("ofBuffer", java.nio.Buffer.class);
            segmentAddress = segmentC.getMethod("address");

            Object stateLayout = optionClass.getMethod("captureStateLayout").invoke(null);
            long stateSize = (long) layoutClass.getMethod("byteSize").invoke(stateLayout);
            Object pathArray = Array.newInstance(pathElementC, 1);
            Array.set(pathArray, 0, pathElementC.getMethod("groupElement", String.class).invoke(null, "errno"));
            errnoOffset = (int) (long) layoutClass.getMethod("byteOffset", pathArray.getClass())
                    .invoke(stateLayout, pathArray);
            Object errnoSegment = arenaAllocate.invoke(arena, stateSize, 8L);
            errno = ((ByteBuffer) asByteBuffer.invoke(errnoSegment)).order(ByteOrder.nativeOrder());

            socket = bind("socket", errnoSegment, int.class, int.class, int.class, int.class);
            connect = bind("connect", errnoSegment, int.class, int.class, long.class, int.class);
            setsockopt = bind("setsockopt", errnoSegment, int.class,
                    int.class, int.class, int.class, long.class, int.class);
            getsockopt = bind("getsockopt", errnoSegment, int.class,
                    int.class, int.class, int.class, long.class, long.class);
            close = bind("close", errnoSegment, int.class, int.class);
            epollCreate1 = bind("epoll_create1", errnoSegment, int.class, int.class);
            epollCtl = bind("epoll_ctl", errnoSegment, int.class, int.class, int.class, int.class, long.class);
            epollWait = bind("epoll_wait", errnoSegment, int.class, int.class, long.class, int.class, int.class);
            eventfd = bind("eventfd", errnoSegment, int.class, int.class, int.class);
            read = bind("read", errnoSegment, long.class, int.class, long.class, long.class);
            writeNoErrno = bind("write", null, long.class, int.class, long.class, long.class);
            epollWaitNoErrno = bind("epoll_wait", null, int.class, int.class, long.class, int.class, int.class);
        }

        /**
         * A downcall handle of type (args) -> ret, primitives only. With {@code errnoSegment} the
         * handle captures errno into it, bound in as the leading argument.
         */
        private MethodHandle bind(String name, Object errnoSegment, Class<?> ret, Class<?>... args)
                throws ReflectiveOperationException {
            Object symbol = ((Optional<?>) find.invoke(lookup, name))
                    .orElseThrow(() -> new IllegalStateException("no symbol " + name));
            Object argLayouts = Array.newInstance(layoutClass, args.length);
            for (int i = 0; i < args.length; i++) {
                Array.set(argLayouts, i, layoutOf(args[i]));
            }
            Object descriptor = ret == void.class
                    ? descriptorOfVoid.invoke(null, argLayouts)
                    : descriptorOf.invoke(null, layoutOf(ret), argLayouts);
            Object options = Array.newInstance(optionClass, errnoSegment == null ? 0 : 1);
            if (errnoSegment != null) {
                Array.set(options, 0, captureErrno);
            }
            MethodHandle h = (MethodHandle) downcall.invoke(linker, symbol, descriptor, options);
            if (errnoSegment != null) {
                h = MethodHandles.insertArguments(h, 0, errnoSegment);
            }
            MethodType expected = MethodType.methodType(ret, args);
            if (!h.type().equals(expected)) {
                throw new IllegalStateException(name + ": handle type " + h.type() + ", expected " + expected);
            }
            return h;
        }

        private Object layoutOf(Class<?> type) {
            return type == int.class ? intLayout : longLayout;
        }

        ByteBuffer allocate(int bytes) {
            try {
                Object segment = arenaAllocate.invoke(arena, (long) bytes, 16L);
                return ((ByteBuffer) asByteBuffer.invoke(segment)).order(ByteOrder.nativeOrder());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("allocating native memory", e);
            }
        }

        long address(ByteBuffer buffer) {
            try {
                return (long) segmentAddress.invoke(ofBuffer.invoke(null, buffer));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("address of a native buffer", e);
            }
        }
    }
}
