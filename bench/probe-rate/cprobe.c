/*
 * cprobe: the C baseline of bench/probe-rate, and the loopback targets it shares with the agent.
 *
 *   cprobe serve BASE COUNT
 *       127.0.0.1:BASE .. BASE+COUNT-1        listening; every connection is accepted and closed
 *       127.0.0.1:BASE+COUNT .. BASE+2*COUNT-1 bound, never listening: connects are refused
 *     Prints "ready" once every port is held, "busy PORT" (exit 3) when one is taken. Runs until
 *     stdin reaches end of file (the harness that started it went away) or SIGTERM.
 *
 *   cprobe connect PORT N INFLIGHT
 *     N non-blocking connects to 127.0.0.1:PORT, INFLIGHT at once, on one epoll thread; each
 *     socket is closed with SO_LINGER 0 (RST, no TIME_WAIT). Prints one line:
 *       connects=N open=.. refused=.. other=.. seconds=.. rate=..
 *
 * Loopback only: the address is fixed, and the ports are ones this program holds.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define LOOPBACK "127.0.0.1"
#define MAX_EVENTS 256
/* No loopback connect takes this long: a stalled run is a broken setup, not a slow one. */
#define STALL_MS 5000

static void die(const char *what) {
    perror(what);
    exit(2);
}

static struct sockaddr_in loopback(int port) {
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short) port);
    inet_pton(AF_INET, LOOPBACK, &a.sin_addr);
    return a;
}

static void reset_on_close(int fd) {
    struct linger l = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
}

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int serve(int base, int count) {
    int ep = epoll_create1(0);
    if (ep < 0) die("epoll_create1");
    for (int i = 0; i < 2 * count; i++) {
        int port = base + i;
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        if (fd < 0) die("socket");
        struct sockaddr_in a = loopback(port);
        if (bind(fd, (struct sockaddr *) &a, sizeof a) < 0) {
            printf("busy %d\n", port);
            fflush(stdout);
            return 3;
        }
        if (i < count) { /* the first half listens, the second half only holds its port */
            if (listen(fd, 4096) < 0) die("listen");
            struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
            if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl");
        }
    }
    struct epoll_event in = {.events = EPOLLIN | EPOLLHUP, .data.fd = STDIN_FILENO};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, STDIN_FILENO, &in) < 0) die("epoll_ctl stdin");
    printf("ready\n");
    fflush(stdout);

    struct epoll_event events[MAX_EVENTS];
    char drain[256];
    for (;;) {
        int n = epoll_wait(ep, events, MAX_EVENTS, -1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) die("epoll_wait");
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd == STDIN_FILENO) {
                if (read(STDIN_FILENO, drain, sizeof drain) <= 0) return 0;
                continue;
            }
            for (;;) {
                int c = accept4(fd, NULL, NULL, SOCK_NONBLOCK);
                if (c < 0) break; /* EAGAIN: the accept queue is empty */
                /* A plain close (FIN), as a service that hangs up: a reset here could reach the
                 * prober before it saw the handshake complete. The prober's RST then ends both
                 * sides without TIME_WAIT. */
                close(c);
            }
        }
    }
}

/* Starts one connect; returns 1 when it is pending (registered), 0 when it finished at once. */
static int start(int ep, const struct sockaddr_in *target, long *open, long *refused, long *other) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0) die("socket");
    reset_on_close(fd);
    if (connect(fd, (const struct sockaddr *) target, sizeof *target) == 0) {
        (*open)++;
        close(fd);
        return 0;
    }
    if (errno != EINPROGRESS) {
        if (errno == ECONNREFUSED) (*refused)++; else (*other)++;
        close(fd);
        return 0;
    }
    struct epoll_event ev = {.events = EPOLLOUT, .data.fd = fd};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl");
    return 1;
}

static int connect_bench(int port, long total, int inflight) {
    int ep = epoll_create1(0);
    if (ep < 0) die("epoll_create1");
    struct sockaddr_in target = loopback(port);
    long started = 0, done = 0, open = 0, refused = 0, other = 0;
    int pending = 0;
    struct epoll_event events[MAX_EVENTS];
    double t0 = now_seconds();
    while (done < total) {
        while (pending < inflight && started < total) {
            started++;
            if (start(ep, &target, &open, &refused, &other)) pending++; else done++;
        }
        if (pending == 0) continue;
        int n = epoll_wait(ep, events, MAX_EVENTS, STALL_MS);
        if (n == 0) {
            fprintf(stderr, "cprobe: no connect finished within %d ms\n", STALL_MS);
            return 2;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) die("epoll_wait");
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            int err = 0;
            socklen_t len = sizeof err;
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
            if (err == 0) open++; else if (err == ECONNREFUSED) refused++; else other++;
            close(fd); /* also removes it from the epoll set */
            pending--;
            done++;
        }
    }
    double seconds = now_seconds() - t0;
    printf("connects=%ld open=%ld refused=%ld other=%ld seconds=%.4f rate=%.0f\n",
            total, open, refused, other, seconds, total / seconds);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "serve") == 0) {
        int base = atoi(argv[2]), count = atoi(argv[3]);
        if (base < 1 || count < 1 || count > 5000 || base + 2 * count > 65536) {
            fprintf(stderr, "cprobe serve: BASE and COUNT out of range\n");
            return 2;
        }
        return serve(base, count);
    }
    if (argc == 5 && strcmp(argv[1], "connect") == 0) {
        int port = atoi(argv[2]), inflight = atoi(argv[4]);
        long total = atol(argv[3]);
        if (port < 1 || port > 65535 || total < 1 || total > 200000 || inflight < 1 || inflight > 4096) {
            fprintf(stderr, "cprobe connect: PORT 1-65535, N 1-200000, INFLIGHT 1-4096\n");
            return 2;
        }
        return connect_bench(port, total, inflight);
    }
    fprintf(stderr, "usage: cprobe serve BASE COUNT | cprobe connect PORT N INFLIGHT\n");
    return 2;
}
