// SPDX-License-Identifier: Apache-2.0
//
// A developer's tool, not shipped: a JVMTI agent that writes each method the JIT compiles (its code bytes, and
// for every debug-info pc the methods and lines inlined there) so perf samples in compiled code can be given to
// the inlined Java line they ran (docs/bench/jit-lines.py; docs/bench/session26-per-call.md). This host has no
// hsdis and no perf JVMTI agent.
//
//   J=/usr/lib/jvm/java-17-openjdk-amd64
//   gcc -O2 -shared -fPIC -I$J/include -I$J/include/linux -o /tmp/libjit-lines.so docs/bench/jit-lines.c
//   JIT_LINES_DIR=/tmp/jl java -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints
//       -agentpath:/tmp/libjit-lines.so -javaagent:dist/copytrace.jar ... &      (one command line)
//   perf record -F 5000 -p $! -o /tmp/jl.data -- sleep 8; perf script -i /tmp/jl.data -F ip > /tmp/jl-ips.txt
//   python3 docs/bench/jit-lines.py /tmp/jl/index.txt /tmp/jl-ips.txt
#include <jvmti.h>
#include <jvmticmlr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/stat.h>

static FILE *idx;
static char dir[200];
static int counter;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static int line_of(jvmtiEnv *j, jmethodID m, jint bci) {
    jint n; jvmtiLineNumberEntry *t;
    if ((*j)->GetLineNumberTable(j, m, &n, &t) != JVMTI_ERROR_NONE) return -1;
    int line = -1;
    for (int i = 0; i < n; i++) if (t[i].start_location <= bci) line = t[i].line_number;
    (*j)->Deallocate(j, (unsigned char *) t);
    return line;
}

static void name_of(jvmtiEnv *j, jmethodID m, char *out, size_t len) {
    char *name = NULL, *cname = NULL; jclass k;
    (*j)->GetMethodName(j, m, &name, NULL, NULL);
    (*j)->GetMethodDeclaringClass(j, m, &k);
    (*j)->GetClassSignature(j, k, &cname, NULL);
    snprintf(out, len, "%s.%s", cname ? cname : "?", name ? name : "?");
    if (name) (*j)->Deallocate(j, (unsigned char *) name);
    if (cname) (*j)->Deallocate(j, (unsigned char *) cname);
}

static void JNICALL loaded(jvmtiEnv *j, jmethodID m, jint size, const void *addr, jint map_len,
                           const jvmtiAddrLocationMap *map, const void *info) {
    char nm[1024];
    name_of(j, m, nm, sizeof nm);
    pthread_mutex_lock(&lock);
    int n = counter++;
    char path[256];
    snprintf(path, sizeof path, "%s/%d.bin", dir, n);
    FILE *f = fopen(path, "wb");
    if (f) { fwrite(addr, 1, size, f); fclose(f); }
    fprintf(idx, "M %d %lx %d %s\n", n, (unsigned long) addr, size, nm);
    for (const jvmtiCompiledMethodLoadRecordHeader *h = info; h; h = h->next) {
        if (h->kind != JVMTI_CMLR_INLINE_INFO) continue;
        const jvmtiCompiledMethodLoadInlineRecord *r = (const void *) h;
        for (int i = 0; i < r->numpcs; i++) {
            PCStackInfo *p = &r->pcinfo[i];
            fprintf(idx, "P %lx", (unsigned long) p->pc);
            for (int d = 0; d < p->numstackframes && d < 6; d++) {
                char fn[512];
                name_of(j, p->methods[d], fn, sizeof fn);
                fprintf(idx, " %s:%d", fn, line_of(j, p->methods[d], p->bcis[d]));
            }
            fputc('\n', idx);
        }
    }
    fflush(idx);
    pthread_mutex_unlock(&lock);
}

JNIEXPORT jint JNICALL Agent_OnLoad(JavaVM *vm, char *options, void *reserved) {
    jvmtiEnv *j;
    if ((*vm)->GetEnv(vm, (void **) &j, JVMTI_VERSION_1_2) != JNI_OK) return 1;
    jvmtiCapabilities c; memset(&c, 0, sizeof c);
    c.can_generate_compiled_method_load_events = 1;
    c.can_get_line_numbers = 1;
    (*j)->AddCapabilities(j, &c);
    jvmtiEventCallbacks cb; memset(&cb, 0, sizeof cb);
    cb.CompiledMethodLoad = loaded;
    (*j)->SetEventCallbacks(j, &cb, sizeof cb);
    (*j)->SetEventNotificationMode(j, JVMTI_ENABLE, JVMTI_EVENT_COMPILED_METHOD_LOAD, NULL);
    const char *d = getenv("JIT_LINES_DIR");
    snprintf(dir, sizeof dir, "%s", d ? d : "/tmp/jit-lines");
    mkdir(dir, 0755);
    char path[256];
    snprintf(path, sizeof path, "%s/index.txt", dir);
    idx = fopen(path, "w");
    if (!idx) return 1;
    return 0;
}
