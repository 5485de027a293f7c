// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.perf;

/**
 * Turns a perf errno into a sentence a user can act on. Plain Java (no JNA) so it is unit tested.
 *
 * @param paranoid {@code kernel.perf_event_paranoid}, or {@link Integer#MIN_VALUE} when unreadable
 * @param privileged whether the process has CAP_PERFMON or CAP_SYS_ADMIN (root has both)
 */
public record RefusalAdvice(int paranoid, boolean privileged) {

    /** Why {@code perf_event_open} of {@code what} failed with {@code errno}, and what to do. */
    public String forOpen(String what, int errno, int descriptorsNeeded) {
        String failed = "perf_event_open(" + what + ") failed with " + Errno.describe(errno) + ": ";
        switch (errno) {
            case Errno.EACCES:
            case Errno.EPERM:
                if (!privileged && paranoid > 1) {
                    return failed + "kernel.perf_event_paranoid=" + paranoid
                            + " and no CAP_PERFMON: run as root, grant CAP_PERFMON (setcap cap_perfmon+ep on the java "
                            + "binary, or --cap-add PERFMON for a container), or sysctl kernel.perf_event_paranoid=1";
                }
                if (!privileged && paranoid == Integer.MIN_VALUE) {
                    return failed + "kernel.perf_event_paranoid is unreadable and there is no CAP_PERFMON: run as root "
                            + "or grant CAP_PERFMON";
                }
                return failed + "refused although kernel.perf_event_paranoid=" + paranoid
                        + (privileged ? " and the process has CAP_PERFMON" : "")
                        + ": most likely a seccomp filter (Docker's default profile blocks perf_event_open) or an LSM "
                        + "policy; allow perf_event_open in the seccomp profile, or run the container with "
                        + "--cap-add PERFMON";
            case Errno.ENOSYS:
                return failed + "the kernel has no perf events (CONFIG_PERF_EVENTS=n) or a seccomp filter hides the "
                        + "syscall; use a kernel with perf events or allow perf_event_open in the seccomp profile";
            case Errno.ENOENT:
            case Errno.ENODEV:
            case Errno.EOPNOTSUPP:
                return failed + "this kernel or virtual machine does not support the event";
            case Errno.EMFILE:
            case Errno.ENFILE:
                return failed + "out of file descriptors; copytrace needs about " + descriptorsNeeded
                        + " for its counters: raise the limit (ulimit -n, LimitNOFILE=) or use fewer threads";
            case Errno.E2BIG:
            case Errno.EINVAL:
                return failed + "the kernel rejected the event attributes (kernel older than 4.x?)";
            default:
                return failed + "unexpected; using /proc counters";
        }
    }

    /** Why sampling needs more than counting, for {@code errno} from perf_event_open or mmap. */
    public String forSampling(String what, int errno, int descriptorsNeeded) {
        if ((errno == Errno.EACCES || errno == Errno.EPERM) && !privileged && paranoid > -1) {
            return what + " failed with " + Errno.describe(errno) + ": raw tracepoint samples need "
                    + "kernel.perf_event_paranoid=-1 or CAP_PERFMON (it is " + paranoid + "); counters still work";
        }
        if (errno == Errno.ENOMEM || errno == Errno.EPERM) {
            return what + " failed with " + Errno.describe(errno) + ": the ring buffers exceed the locked-memory "
                    + "allowance; lower ringBufferPages, raise sysctl kernel.perf_event_mlock_kb, or grant CAP_IPC_LOCK";
        }
        return forOpen(what, errno, descriptorsNeeded);
    }
}
