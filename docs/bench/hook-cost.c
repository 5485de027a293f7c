// SPDX-License-Identifier: Apache-2.0
//
// What a per-syscall kernel hook costs, without the JVM: a loop of 64-byte write(2)s to /dev/null,
// timed under each way the kernel can count syscalls. Shows the floor any exact per-syscall counter
// pays on this kernel (docs/kernel-counters.md, "What counting costs").
//
//   gcc -O2 -pthread -o /tmp/hook-cost docs/bench/hook-cost.c && sudo /tmp/hook-cost 5000000 [modes] [rounds]
//
// Modes, each in a fresh child process with a second (sleeping) thread, taken in turn for 3 rounds:
//   none          no hook
//   slow-path     perf counter on syscalls:sys_enter_msync (never called): the syscall slow path alone
//   perf-count    perf counter on syscalls:sys_enter_write (what copytrace's kernel=perf does per syscall)
//   perf-disabled the same counter, opened and then switched off (PERF_EVENT_IOC_DISABLE): what a sampled
//                 mode pays between its counting slices
//   perf-sliced   the same counter switched on 100 ms in every 1 s by a second thread (kernel=sampled's
//                 default slices); the loop should run several seconds (n >= 10000000)
//   raw-count     20 perf counters on raw_syscalls:sys_enter, each filtered to one syscall number (the
//                 20 that kernel=perf counts; one tracepoint instead of 20, see tracepoint-close.c)
//   raw-disabled  the same, switched off
//   bpf-empty     BPF raw tracepoint on sys_enter that returns at once
//   bpf-count     BPF raw tracepoint on sys_enter counting this process's syscalls per number
//                 (per-CPU array, atomic add), checked against the loop's count
#define _GNU_SOURCE
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define INSN(c, d, s, o, i) ((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})

static long bpf(int cmd, union bpf_attr *a) { return syscall(__NR_bpf, cmd, a, sizeof(*a)); }

static int die(const char *what) {
    fprintf(stderr, "%s: %s\n", what, strerror(errno));
    exit(1);
}

static int perf_count(const char *tracepoint) {
    char path[256];
    snprintf(path, sizeof path, "/sys/kernel/tracing/events/syscalls/%s/id", tracepoint);
    FILE *f = fopen(path, "r");
    if (!f) die(path);
    struct perf_event_attr pa = {.type = PERF_TYPE_TRACEPOINT, .size = sizeof pa};
    if (fscanf(f, "%llu", &pa.config) != 1) die(path);
    fclose(f);
    int fd = syscall(__NR_perf_event_open, &pa, 0, -1, -1, 0);
    if (fd < 0) die("perf_event_open");
    return fd;
}

// Returns the map's fd (counting) or -1 (empty program).
static int bpf_attach(int count) {
    union bpf_attr a;
    struct bpf_insn p[32];
    int k = 0, map = -1;
    if (count) {
        memset(&a, 0, sizeof a);
        a.map_type = BPF_MAP_TYPE_PERCPU_ARRAY;
        a.key_size = 4;
        a.value_size = 8;
        a.max_entries = 512;
        if ((map = bpf(BPF_MAP_CREATE, &a)) < 0) die("BPF_MAP_CREATE");
        p[k++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, 6, 1, 0, 0);               // r6 = ctx
        p[k++] = INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_get_current_pid_tgid);
        p[k++] = INSN(BPF_ALU64 | BPF_RSH | BPF_K, 0, 0, 0, 32);              // r0 = tgid
        p[k++] = INSN(BPF_JMP | BPF_JNE | BPF_K, 0, 0, 11, getpid());         // not us: out
        p[k++] = INSN(BPF_LDX | BPF_MEM | BPF_DW, 1, 6, 8, 0);                // r1 = args[1], the number
        p[k++] = INSN(BPF_JMP | BPF_JGT | BPF_K, 1, 0, 9, 511);
        p[k++] = INSN(BPF_STX | BPF_MEM | BPF_W, 10, 1, -4, 0);               // key on the stack
        p[k++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, 2, 10, 0, 0);
        p[k++] = INSN(BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, -4);
        p[k++] = INSN(BPF_LD | BPF_DW | BPF_IMM, 1, BPF_PSEUDO_MAP_FD, 0, map);
        p[k++] = INSN(0, 0, 0, 0, 0);
        p[k++] = INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem);
        p[k++] = INSN(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2, 0);
        p[k++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, 1, 0, 0, 1);
        p[k++] = INSN(BPF_STX | BPF_ATOMIC | BPF_DW, 0, 1, 0, BPF_ADD);
    }
    p[k++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);                   // out: return 0
    p[k++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    static char log[65536];
    memset(&a, 0, sizeof a);
    a.prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT;
    a.insns = (unsigned long) p;
    a.insn_cnt = k;
    a.license = (unsigned long) "GPL";
    a.log_buf = (unsigned long) log;
    a.log_size = sizeof log;
    a.log_level = 1;
    int prog = bpf(BPF_PROG_LOAD, &a);
    if (prog < 0) {
        fputs(log, stderr);
        die("BPF_PROG_LOAD");
    }
    memset(&a, 0, sizeof a);
    a.raw_tracepoint.name = (unsigned long) "sys_enter";
    a.raw_tracepoint.prog_fd = prog;
    if (bpf(BPF_RAW_TRACEPOINT_OPEN, &a) < 0) die("BPF_RAW_TRACEPOINT_OPEN");
    return map;
}

static unsigned long long bpf_read(int map, unsigned key) {
    unsigned long long v[1024] = {0}, sum = 0;
    union bpf_attr a;
    memset(&a, 0, sizeof a);
    a.map_fd = map;
    a.key = (unsigned long) &key;
    a.value = (unsigned long) v;
    if (bpf(BPF_MAP_LOOKUP_ELEM, &a) < 0) die("BPF_MAP_LOOKUP_ELEM");
    for (long c = 0; c < sysconf(_SC_NPROCESSORS_CONF); c++) sum += v[c];
    return sum;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

// 20 counters on the one raw_syscalls:sys_enter tracepoint, one per counted syscall; returns write's.
static int raw_counters(int enabled) {
    static const int nrs[] = {__NR_read, __NR_write, __NR_pread64, __NR_pwrite64, __NR_readv, __NR_writev,
        __NR_preadv, __NR_pwritev, __NR_sendfile, __NR_splice, __NR_vmsplice, __NR_copy_file_range, __NR_mmap,
        __NR_munmap, __NR_madvise, __NR_msync, __NR_sendto, __NR_recvfrom, __NR_sendmsg, __NR_recvmsg};
    FILE *f = fopen("/sys/kernel/tracing/events/raw_syscalls/sys_enter/id", "r");
    if (!f) die("raw_syscalls/sys_enter/id");
    struct perf_event_attr pa = {.type = PERF_TYPE_TRACEPOINT, .size = sizeof pa, .disabled = 1};
    if (fscanf(f, "%llu", &pa.config) != 1) die("raw_syscalls id");
    fclose(f);
    int write_fd = -1;
    for (unsigned i = 0; i < sizeof nrs / sizeof nrs[0]; i++) {
        int fd = syscall(__NR_perf_event_open, &pa, 0, -1, -1, 0);
        if (fd < 0) die("perf_event_open raw_syscalls");
        char filter[32];
        snprintf(filter, sizeof filter, "id == %d", nrs[i]);
        if (ioctl(fd, PERF_EVENT_IOC_SET_FILTER, filter) < 0) die("PERF_EVENT_IOC_SET_FILTER");
        if (enabled && ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) < 0) die("PERF_EVENT_IOC_ENABLE");
        if (nrs[i] == __NR_write) write_fd = fd;
    }
    return write_fd;
}

static volatile int loop_done;

// The second thread every mode has (a JVM is never single-threaded, and a lone thread's write() skips the
// file reference count: a second thread alone costs ~20-50 ns). In perf-sliced it is kernel=sampled's
// rhythm: the counter on for 100 ms, off for 900 ms, until the loop ends; otherwise it only sleeps.
static void *helper(void *arg) {
    int fd = *(int *) arg;
    struct timespec on = {0, 100000000}, off = {0, 900000000}, nap = {0, 10000000};
    while (!loop_done && fd < 0) nanosleep(&nap, NULL);
    while (!loop_done) {
        if (ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) < 0) die("PERF_EVENT_IOC_ENABLE");
        nanosleep(&on, NULL);
        if (ioctl(fd, PERF_EVENT_IOC_DISABLE, 0) < 0) die("PERF_EVENT_IOC_DISABLE");
        nanosleep(&off, NULL);
    }
    return NULL;
}

static void run(const char *mode, long n) {
    int counter = -1, map = -1;
    if (!strcmp(mode, "slow-path")) counter = perf_count("sys_enter_msync");
    if (!strcmp(mode, "perf-count")) counter = perf_count("sys_enter_write");
    if (!strcmp(mode, "perf-disabled")) {
        counter = perf_count("sys_enter_write");
        if (ioctl(counter, PERF_EVENT_IOC_DISABLE, 0) < 0) die("PERF_EVENT_IOC_DISABLE");
    }
    pthread_t helper_thread;
    int sliced = -1;
    if (!strcmp(mode, "perf-sliced")) {
        counter = sliced = perf_count("sys_enter_write");
        if (ioctl(counter, PERF_EVENT_IOC_DISABLE, 0) < 0) die("PERF_EVENT_IOC_DISABLE");
    }
    if (pthread_create(&helper_thread, NULL, helper, &sliced)) die("pthread_create");
    if (!strcmp(mode, "raw-count")) counter = raw_counters(1);
    if (!strcmp(mode, "raw-disabled")) counter = raw_counters(0);
    if (!strcmp(mode, "bpf-empty")) bpf_attach(0);
    if (!strcmp(mode, "bpf-count")) map = bpf_attach(1);
    int fd = open("/dev/null", O_WRONLY);
    char buf[64] = {0};
    for (long i = 0; i < n / 10; i++) write(fd, buf, sizeof buf); // warm-up
    unsigned long long before = map >= 0 ? bpf_read(map, __NR_write) : 0;
    double t0 = now();
    for (long i = 0; i < n; i++) write(fd, buf, sizeof buf);
    double t1 = now();
    loop_done = 1;
    unsigned long long after = map >= 0 ? bpf_read(map, __NR_write) : 0;
    long long counted = -1;
    if (counter >= 0 && read(counter, &counted, sizeof counted) != sizeof counted) die("read counter");
    printf("%-13s %6.1f ns/write", mode, (t1 - t0) / n);
    if (map >= 0) printf("  (BPF counted %llu of %ld writes)", after - before, n);
    if (counter >= 0 && strcmp(mode, "slow-path")) printf("  (perf counted %lld of %ld writes)", counted, n + n / 10);
    printf("\n");
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 5000000;
    const char *all[] = {"none", "slow-path", "perf-count", "perf-disabled", "perf-sliced", "raw-count", "raw-disabled",
                         "bpf-empty", "bpf-count"};
    const char **modes = all;
    int count = sizeof all / sizeof all[0];
    int rounds = argc > 3 ? atoi(argv[3]) : 3;
    if (argc > 2) { // a comma-separated subset, e.g. none,perf-count,perf-sliced
        static const char *chosen[16];
        count = 0;
        for (char *m = strtok(argv[2], ","); m && count < 16; m = strtok(NULL, ",")) chosen[count++] = m;
        modes = chosen;
    }
    for (int round = 0; round < rounds; round++) {
        for (int m = 0; m < count; m++) {
            fflush(stdout);
            pid_t child = fork();
            if (child == 0) {
                run(modes[m], n);
                fflush(stdout);
                _exit(0);
            }
            int status;
            waitpid(child, &status, 0);
        }
    }
    return 0;
}
