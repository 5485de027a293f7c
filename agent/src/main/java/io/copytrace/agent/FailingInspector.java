// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import io.copytrace.boot.TransferInspector;
import java.nio.ByteBuffer;

/**
 * Test hook: an inspector that throws from every method, installed when the system property
 * {@code copytrace.test.failing-inspector=true} is set, to prove a failing recorder cannot break the app.
 */
final class FailingInspector implements TransferInspector {
    private static RuntimeException fail() {
        return new IllegalStateException("copytrace test: failing inspector");
    }

    @Override
    public boolean isMapped(ByteBuffer buffer) {
        throw fail();
    }

    @Override
    public int endpointKind(Object channelOrStream) {
        throw fail();
    }

    @Override
    public Object endpointName(Object channelOrStream) {
        throw fail();
    }

    @Override
    public int stickyFlags() {
        throw fail();
    }

    @Override
    public int reason(int op, Object self, Object other, long count, int path, long directCode, long mappedCode,
                      int stickyFlagsBefore, boolean mapped) {
        throw fail();
    }
}
