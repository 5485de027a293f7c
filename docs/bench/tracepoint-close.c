// SPDX-License-Identifier: Apache-2.0
//
// Why stopping the kernel counters takes ~0.8 s, and a way around it (docs/kernel-counters.md, "Sampled
// mode"): closing the last perf event of a tracepoint waits for an RCU grace period, once per tracepoint.
// kernel=perf opens 20 syscalls:sys_enter_<name> tracepoints, so 20 waits. The same 20 counts taken from ONE
// tracepoint, raw_syscalls:sys_enter, with a filter per event ("id == <syscall number>"), count the same and
// close with one wait. 3 rounds, as root:
//
//   gcc -O2 -o /tmp/tracepoint-close docs/bench/tracepoint-close.c && sudo /tmp/tracepoint-close
//
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static const char *names[] = {"read", "write", "pread64", "pwrite64", "readv", "writev", "preadv", "pwritev",
    "sendfile64", "splice", "vmsplice", "copy_file_range", "mmap", "munmap", "madvise", "msync", "sendto", "recvfrom",
    "sendmsg", "recvmsg"};
static const int nrs[] = {__NR_read, __NR_write, __NR_pread64, __NR_pwrite64, __NR_readv, __NR_writev, __NR_preadv,
    __NR_pwritev, __NR_sendfile, __NR_splice, __NR_vmsplice, __NR_copy_file_range, __NR_mmap, __NR_munmap,
    __NR_madvise, __NR_msync, __NR_sendto, __NR_recvfrom, __NR_sendmsg, __NR_recvmsg};
#define N 20

static void die(const char *what) {
    perror(what);
    exit(1);
}

static long tracepoint_id(const char *event) {
    char path[256];
    snprintf(path, sizeof path, "/sys/kernel/tracing/events/%s/id", event);
    FILE *f = fopen(path, "r");
    long id = -1;
    if (!f || fscanf(f, "%ld", &id) != 1) die(path);
    fclose(f);
    return id;
}

// Opened disabled and inheriting, like kernel=perf's counters; a filter when one is given.
static int open_counter(long id, const char *filter) {
    struct perf_event_attr a = {.type = PERF_TYPE_TRACEPOINT, .size = sizeof a, .config = id, .disabled = 1,
                                .inherit = 1};
    int fd = syscall(__NR_perf_event_open, &a, 0, -1, -1, 0);
    if (fd < 0) die("perf_event_open");
    if (filter && ioctl(fd, PERF_EVENT_IOC_SET_FILTER, filter) < 0) die("PERF_EVENT_IOC_SET_FILTER");
    if (ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) < 0) die("PERF_EVENT_IOC_ENABLE");
    return fd;
}

static double millis(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

// 1,000 writes, then the write counter's value and how long closing all 20 took.
static void measure(const char *what, int *fds) {
    int null = open("/dev/null", O_WRONLY);
    for (int i = 0; i < 1000; i++) {
        if (write(null, "x", 1) != 1) die("write");
    }
    close(null);
    long long count = 0;
    if (read(fds[1], &count, sizeof count) != sizeof count) die("read");
    double start = millis();
    for (int i = 0; i < N; i++) close(fds[i]);
    printf("%-42s write counted %lld of 1000, closing took %4.0f ms\n", what, count, millis() - start);
}

int main(void) {
    int fds[N];
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < N; i++) {
            char event[64];
            snprintf(event, sizeof event, "syscalls/sys_enter_%s", names[i]);
            fds[i] = open_counter(tracepoint_id(event), NULL);
        }
        measure("20 syscalls:sys_enter_<name> tracepoints", fds);
        long raw = tracepoint_id("raw_syscalls/sys_enter");
        for (int i = 0; i < N; i++) {
            char filter[32];
            snprintf(filter, sizeof filter, "id == %d", nrs[i]);
            fds[i] = open_counter(raw, filter);
        }
        measure("raw_syscalls:sys_enter, 20 filters", fds);
    }
    return 0;
}
