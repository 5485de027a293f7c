// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.perf;

/** The errno values perf_event_open and mmap report, with their symbolic names for messages. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int E2BIG = 7;
    public static final int EBADF = 9;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ENOSYS = 38;
    public static final int EOPNOTSUPP = 95;

    private Errno() {
    }

    /** "EACCES (13)", or "errno 42". */
    public static String describe(int errno) {
        String name;
        switch (errno) {
            case EPERM: name = "EPERM"; break;
            case ENOENT: name = "ENOENT"; break;
            case ESRCH: name = "ESRCH"; break;
            case E2BIG: name = "E2BIG"; break;
            case EBADF: name = "EBADF"; break;
            case ENOMEM: name = "ENOMEM"; break;
            case EACCES: name = "EACCES"; break;
            case EBUSY: name = "EBUSY"; break;
            case ENODEV: name = "ENODEV"; break;
            case EINVAL: name = "EINVAL"; break;
            case ENFILE: name = "ENFILE"; break;
            case EMFILE: name = "EMFILE"; break;
            case ENOSYS: name = "ENOSYS"; break;
            case EOPNOTSUPP: name = "EOPNOTSUPP"; break;
            default: return "errno " + errno;
        }
        return name + " (" + errno + ")";
    }
}
