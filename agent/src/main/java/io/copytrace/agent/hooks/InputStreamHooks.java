// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.hooks;

import io.copytrace.boot.Codes;
import io.copytrace.boot.Probe;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code InputStream.transferTo(OutputStream)} and the JDK's overrides of it: one composite copy, which
 * folds the JDK operations it runs (their path says whether it looped or handed off to the kernel).
 */
public final class InputStreamHooks {
    private InputStreamHooks() {}

    /** The hooks of these classes. */
    public static List<Hook> hooks() {
        List<Hook> h = new ArrayList<>();
        for (String t : new String[] {"java.io.InputStream", "java.io.FileInputStream", "java.io.BufferedInputStream",
                "java.io.ByteArrayInputStream", "java.io.SequenceInputStream", "java.io.PushbackInputStream",
                "sun.nio.ch.ChannelInputStream"}) {
            h.add(new Hook(t, named("transferTo").and(takesArguments(OutputStream.class)), TransferTo.class));
        }
        return h;
    }

    static final class TransferTo {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) Object out) {
            return Probe.enterComposite(Codes.OP_STREAM_TRANSFER_TO, self, out);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return long n, @Advice.Thrown Throwable t) {
            Probe.exitSized(h, n, n, t);
        }
    }
}
