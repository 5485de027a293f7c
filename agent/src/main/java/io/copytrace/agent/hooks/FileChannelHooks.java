// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.hooks;

import io.copytrace.boot.Codes;
import io.copytrace.boot.Probe;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import net.bytebuddy.asm.Advice;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code sun.nio.ch.FileChannelImpl}: reads, writes, transfers (with the private stage methods that tell
 * which path ran, named differently on JDK 17/21 and 25) and map.
 */
public final class FileChannelHooks {
    private static final String T = "sun.nio.ch.FileChannelImpl";

    private FileChannelHooks() {}

    /** The hooks of this class. */
    public static List<Hook> hooks() {
        return List.of(
            new Hook(T, named("read").and(takesArguments(ByteBuffer.class)), Read.class),
            new Hook(T, named("read").and(takesArguments(ByteBuffer.class, long.class)), PRead.class),
            new Hook(T, named("read").and(takesArguments(ByteBuffer[].class, int.class, int.class)), ReadV.class),
            new Hook(T, named("write").and(takesArguments(ByteBuffer.class)), Write.class),
            new Hook(T, named("write").and(takesArguments(ByteBuffer.class, long.class)), PWrite.class),
            new Hook(T, named("write").and(takesArguments(ByteBuffer[].class, int.class, int.class)), WriteV.class),
            new Hook(T, named("transferTo").and(takesArguments(long.class, long.class, WritableByteChannel.class)),
                    TransferTo.class),
            new Hook(T, named("transferFrom").and(takesArguments(ReadableByteChannel.class, long.class, long.class)),
                    TransferFrom.class),
            new Hook(T, namedOneOf("transferToDirectly", "transferToDirect", "transferFromDirectly",
                    "transferFromDirect").and(returns(long.class)), DirectStage.class),
            new Hook(T, namedOneOf("transferToTrustedChannel", "transferFromFileChannel").and(returns(long.class)),
                    MappedStage.class),
            new Hook(T, namedOneOf("transferToArbitraryChannel", "transferFromArbitraryChannel")
                    .and(returns(long.class)), LoopStage.class),
            new Hook(T, named("map").and(takesArguments(FileChannel.MapMode.class, long.class, long.class)),
                    MapCall.class));
    }

    static final class Read {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) ByteBuffer dst,
                         @Advice.FieldValue("path") String path) {
            return Probe.enterBuffer(Codes.OP_FILE_READ, Codes.FORM_SINGLE, self, dst, Codes.END_FILE, path);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return int n, @Advice.Thrown Throwable t) {
            Probe.exit(h, n, t);
        }
    }

    static final class PRead {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) ByteBuffer dst,
                         @Advice.FieldValue("path") String path) {
            return Probe.enterBuffer(Codes.OP_FILE_READ, Codes.FORM_POSITIONAL, self, dst, Codes.END_FILE, path);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return int n, @Advice.Thrown Throwable t) {
            Probe.exit(h, n, t);
        }
    }

    static final class ReadV {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) ByteBuffer[] dsts,
                         @Advice.Argument(1) int off, @Advice.Argument(2) int len,
                         @Advice.FieldValue("path") String path) {
            return Probe.enterBuffers(Codes.OP_FILE_READ, Codes.FORM_SCATTER, self, dsts, off, len,
                    Codes.END_FILE, path);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return long n, @Advice.Thrown Throwable t) {
            Probe.exit(h, n, t);
        }
    }

    static final class Write {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) ByteBuffer src,
                         @Advice.FieldValue("path") String path) {
            return Probe.enterBuffer(Codes.OP_FILE_WRITE, Codes.FORM_SINGLE, self, src, Codes.END_FILE, path);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return int n, @Advice.Thrown Throwable t) {
            Probe.exit(h, n, t);
        }
    }

    static final class PWrite {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) ByteBuffer src,
                         @Advice.FieldValue("path") String path) {
            return Probe.enterBuffer(Codes.OP_FILE_WRITE, Codes.FORM_POSITIONAL, self, src, Codes.END_FILE, path);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return int n, @Advice.Thrown Throwable t) {
            Probe.exit(h, n, t);
        }
    }

    static final class WriteV {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) ByteBuffer[] srcs,
                         @Advice.Argument(1) int off, @Advice.Argument(2) int len,
                         @Advice.FieldValue("path") String path) {
            return Probe.enterBuffers(Codes.OP_FILE_WRITE, Codes.FORM_GATHER, self, srcs, off, len,
                    Codes.END_FILE, path);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return long n, @Advice.Thrown Throwable t) {
            Probe.exit(h, n, t);
        }
    }

    static final class TransferTo {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(1) long count,
                         @Advice.Argument(2) Object target) {
            return Probe.enterTransfer(Codes.OP_FILE_TRANSFER_TO, self, target, count);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return long n, @Advice.Thrown Throwable t) {
            Probe.exit(h, n, t);
        }
    }

    static final class TransferFrom {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) Object src, @Advice.Argument(2) long count) {
            return Probe.enterTransfer(Codes.OP_FILE_TRANSFER_FROM, self, src, count);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return long n, @Advice.Thrown Throwable t) {
            Probe.exit(h, n, t);
        }
    }

    static final class DirectStage {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Return long n, @Advice.Thrown Throwable t) {
            if (t == null) Probe.stage(Codes.STAGE_DIRECT, n);
        }
    }

    static final class MappedStage {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Return long n, @Advice.Thrown Throwable t) {
            if (t == null) Probe.stage(Codes.STAGE_MAPPED, n);
        }
    }

    static final class LoopStage {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Return long n, @Advice.Thrown Throwable t) {
            if (t == null) Probe.stage(Codes.STAGE_LOOP, n);
        }
    }

    static final class MapCall {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.Argument(0) Object mode, @Advice.Argument(2) long size,
                         @Advice.FieldValue("path") String path) {
            return Probe.enterSized(Codes.OP_FILE_MAP, self, size, Codes.PATH_MAP, Codes.END_FILE, path,
                    Codes.END_MEMORY, String.valueOf(mode));
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object h, @Advice.Return Object mapping, @Advice.Thrown Throwable t) {
            Probe.exitMapped(h, mapping, t);
        }
    }
}
