package io.portwatch.agent.probe;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The futures of {@link ProbeEngine#probe} that the selector thread completed during one pass of its
 * loop, handed to the completion executor as one task per pass instead of one per result.
 *
 * <p>Why: each hand-off to an idle ForkJoinPool wakes a worker (a futex wake and, on its side, a
 * futex wait): measured about 4 futex calls per probe, as many system calls as the connect itself
 * (docs/benchmarks.md). A pass of the loop finishes up to its whole in-flight window of probes, so a
 * batch costs one wake-up for many results. The futures still complete off the selector thread, in
 * the order their results came.
 */
final class CompletionBatch {

    private final Executor executor;
    /** The selector thread; results delivered on any other thread are completed at once. */
    private volatile Thread owner;
    @SuppressWarnings("unchecked")
    private CompletableFuture<ProbeResult>[] futures = new CompletableFuture[64];
    private ProbeResult[] results = new ProbeResult[64];
    private int size;

    CompletionBatch(Executor executor) {
        this.executor = executor;
    }

    void owner(Thread thread) {
        owner = thread;
    }

    void add(CompletableFuture<ProbeResult> future, ProbeResult result) {
        if (Thread.currentThread() != owner) {
            // Refused up front on the caller's thread, or failed while the engine closed.
            complete(future, result);
            return;
        }
        if (size == futures.length) {
            futures = Arrays.copyOf(futures, size * 2);
            results = Arrays.copyOf(results, size * 2);
        }
        futures[size] = future;
        results[size] = result;
        size++;
    }

    /** Selector thread, before it blocks and after each pass: hands the batch over. */
    void flush() {
        if (size == 0) {
            return;
        }
        CompletableFuture<ProbeResult>[] f = Arrays.copyOf(futures, size);
        ProbeResult[] r = Arrays.copyOf(results, size);
        Arrays.fill(futures, 0, size, null);
        Arrays.fill(results, 0, size, null);
        size = 0;
        Runnable task = () -> {
            for (int i = 0; i < f.length; i++) {
                f[i].complete(r[i]);
            }
        };
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    private void complete(CompletableFuture<ProbeResult> future, ProbeResult result) {
        try {
            executor.execute(() -> future.complete(result));
        } catch (RejectedExecutionException e) {
            future.complete(result);
        }
    }
}
