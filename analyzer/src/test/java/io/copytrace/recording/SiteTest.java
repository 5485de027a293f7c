// SPDX-License-Identifier: Apache-2.0
package io.copytrace.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SiteTest {
    static Site site(String... stack) {
        return new Site(1, "app", stack[0], List.of(stack));
    }

    @Test
    void sitesOfOneClassOneCallerOrCallingEachOtherAreRelated() {
        Site read = site("k.PlaintextTransportLayer.read(P.java:1)", "k.NetworkReceive.readFrom(N.java:2)");
        Site write = site("k.PlaintextTransportLayer.write(P.java:9)", "k.ByteBufferSend.writeTo(B.java:3)");
        assertTrue(read.isRelatedTo(write), "same class");
        assertFalse(read.isNextTo(write), "neither calls the other");
        Site header = site("a.Codec.readHeader(C.java:5)", "a.Broker.serve(B.java:20)");
        Site ack = site("a.Broker.serve(B.java:30)", "a.Broker.lambda$listen$0(B.java:9)");
        assertTrue(header.isNextTo(ack) && ack.isNextTo(header), "serve calls readHeader");
        Site reply = site("b.Writer.reply(W.java:5)", "a.Broker.serve(B.java:31)");
        assertTrue(header.isRelatedTo(reply), "same caller");
        assertFalse(header.isNextTo(reply));
        Site pump = site("c.Pump.send(P.java:1)", "c.Pump.run(P.java:2)");
        assertFalse(pump.isRelatedTo(header));
        assertFalse(site("c.Pump.send(P.java:1)").isRelatedTo(site("d.Inbox.read(I.java:1)")), "no stack, other class");
    }

    @Test
    void callerMethodIsTheSecondFrame() {
        assertEquals("a.Broker.serve", site("a.Codec.readHeader(C.java:5)", "a.Broker.serve(B.java:20)").callerMethod());
        assertNull(site("a.Codec.readHeader(C.java:5)").callerMethod());
    }
}
