// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.copytrace.kernel.Fixtures;
import org.junit.jupiter.api.Test;

class SocketTableTest {
    private final SocketTable table = SocketTable.read(Fixtures.path("proc-self/net"));

    @Test
    void ipv4AddressesAreHostOrderWordsAndNetworkOrderPorts() {
        assertEquals(new SocketTable.Entry("tcp", "127.0.0.1:8080", "0.0.0.0:0"), table.find(31337));
        assertEquals(new SocketTable.Entry("tcp", "127.0.0.1:40000", "127.0.0.1:8080"), table.find(31338));
        assertEquals(new SocketTable.Entry("udp", "127.0.0.53:53", "0.0.0.0:0"), table.find(51001));
    }

    @Test
    void ipv6ShowsV4MappedPeersAsIpv4() {
        assertEquals(new SocketTable.Entry("tcp6", "127.0.0.1:33824", "127.0.0.1:40916"), table.find(41001));
        assertEquals(new SocketTable.Entry("tcp6", "[0:0:0:0:0:0:0:1]:22", "[0:0:0:0:0:0:0:0]:0"), table.find(41002));
    }

    @Test
    void unixSocketsByPathAndTimeWaitWithoutInodeIsSkipped() {
        assertEquals(new SocketTable.Entry("unix", "/run/app.sock", ""), table.find(61001));
        assertEquals(new SocketTable.Entry("unix", "", ""), table.find(61002));
        assertNull(table.find(0));
        assertEquals(7, table.size());
    }

    @Test
    void descriptorsAreClassifiedFromTheirLinks() {
        assertEquals(new Descriptor(5, "file", "/tmp/x", -1), Descriptor.classify(5, "/tmp/x"));
        assertEquals(new Descriptor(6, "socket", "socket:[31338]", 31338), Descriptor.classify(6, "socket:[31338]"));
        assertEquals(new Descriptor(7, "pipe", "pipe:[99]", 99), Descriptor.classify(7, "pipe:[99]"));
        assertEquals("anon_inode", Descriptor.classify(8, "anon_inode:[eventfd]").kind());
        assertEquals("other", Descriptor.classify(9, "net:[4026531840]").kind());
        assertEquals("unknown", Descriptor.classify(10, null).kind());
        assertEquals("tcp 127.0.0.1:40000 -> 127.0.0.1:8080",
                Descriptor.classify(6, "socket:[31338]").withSocket(table.find(31338)).name());
        assertEquals("unix /run/app.sock", Descriptor.classify(6, "socket:[61001]").withSocket(table.find(61001)).name());
    }
}
