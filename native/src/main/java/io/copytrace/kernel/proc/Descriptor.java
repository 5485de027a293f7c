// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.proc;

/**
 * What a file descriptor pointed at, from its {@code /proc/self/fd/N} link.
 *
 * @param fd the descriptor number
 * @param kind "file", "socket", "pipe", "anon_inode", "other", or "unknown" (closed before we looked)
 * @param name the path for files, "protocol local -> peer" for resolved sockets, the link text otherwise
 * @param inode the socket or pipe inode, -1 otherwise
 */
public record Descriptor(int fd, String kind, String name, long inode) {

    /** Classifies a link target such as {@code /tmp/x}, {@code socket:[123]} or {@code anon_inode:[eventfd]}. */
    public static Descriptor classify(int fd, String linkTarget) {
        if (linkTarget == null) {
            return new Descriptor(fd, "unknown", "", -1);
        }
        if (linkTarget.startsWith("/")) {
            return new Descriptor(fd, "file", linkTarget, -1);
        }
        if (linkTarget.startsWith("socket:[")) {
            return new Descriptor(fd, "socket", linkTarget, inode(linkTarget));
        }
        if (linkTarget.startsWith("pipe:[")) {
            return new Descriptor(fd, "pipe", linkTarget, inode(linkTarget));
        }
        if (linkTarget.startsWith("anon_inode:")) {
            return new Descriptor(fd, "anon_inode", linkTarget, -1);
        }
        return new Descriptor(fd, "other", linkTarget, -1);
    }

    /** A socket descriptor renamed after its table entry, e.g. "tcp 127.0.0.1:5000 -> 127.0.0.1:40112". */
    public Descriptor withSocket(SocketTable.Entry entry) {
        if (entry == null) {
            return this;
        }
        String peer = entry.peer().isEmpty() ? "" : " -> " + entry.peer();
        return new Descriptor(fd, kind, entry.protocol() + " " + entry.local() + peer, inode);
    }

    private static long inode(String linkTarget) {
        int open = linkTarget.indexOf('[');
        int close = linkTarget.indexOf(']', open);
        try {
            return Long.parseLong(linkTarget.substring(open + 1, close));
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
