// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.hooks;

import io.copytrace.boot.Buffers;
import io.copytrace.boot.Codes;
import io.copytrace.boot.Probe;
import java.nio.ByteBuffer;
import java.util.List;
import javax.net.ssl.SSLEngineResult;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * TLS engines ({@code sun.security.ssl.SSLEngineImpl}): {@code wrap} encrypts application bytes into
 * records, {@code unwrap} decrypts records into application buffers.
 */
public final class SslEngineHooks {
    private SslEngineHooks() {}

    /** The hooks of this class. */
    public static List<Hook> hooks() {
        String t = "sun.security.ssl.SSLEngineImpl";
        return List.of(
            new Hook(t, named("wrap").and(takesArguments(ByteBuffer[].class, int.class, int.class,
                    ByteBuffer[].class, int.class, int.class)), Wrap.class),
            new Hook(t, named("unwrap").and(takesArguments(ByteBuffer[].class, int.class, int.class,
                    ByteBuffer[].class, int.class, int.class)), Unwrap.class));
    }

    static final class Wrap {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) ByteBuffer[] srcs, @Advice.Argument(1) int off,
                         @Advice.Argument(2) int len) {
            return Probe.enterTls(Codes.OP_TLS_WRAP, self, Buffers.remaining(srcs, off, len),
                    len > 0 && off < srcs.length ? srcs[off] : null);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return SSLEngineResult r, @Advice.Thrown Throwable t) {
            Probe.exitTls(h, r == null ? 0 : r.bytesConsumed(), r == null ? 0 : r.bytesProduced(), t);
        }
    }

    static final class Unwrap {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) ByteBuffer[] srcs, @Advice.Argument(1) int off,
                         @Advice.Argument(2) int len, @Advice.Argument(3) ByteBuffer[] dsts,
                         @Advice.Argument(4) int dOff, @Advice.Argument(5) int dLen) {
            return Probe.enterTls(Codes.OP_TLS_UNWRAP, self, Buffers.remaining(srcs, off, len),
                    dLen > 0 && dOff < dsts.length ? dsts[dOff] : null);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return SSLEngineResult r, @Advice.Thrown Throwable t) {
            Probe.exitTls(h, r == null ? 0 : r.bytesConsumed(), r == null ? 0 : r.bytesProduced(), t);
        }
    }
}
