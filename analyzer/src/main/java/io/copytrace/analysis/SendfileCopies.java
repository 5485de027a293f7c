// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.model.CopyModel;
import io.copytrace.model.EndpointKind;
import io.copytrace.model.Operation;
import io.copytrace.model.SendOffload;
import io.copytrace.model.TransferPath;
import io.copytrace.recording.Endpoint;
import io.copytrace.recording.Nic;
import java.util.stream.Collectors;

/**
 * What sendfile to a socket costs the CPU per byte on the recorded host, and why: 0 when every interface the
 * socket's bytes left by has scatter-gather and TX checksumming on, 1 when one lacks either, 1 (the model's
 * default) when the agent did not look. The reports' one wording of that fact.
 */
final class SendfileCopies {
    private SendfileCopies() {}

    /** CPU copies per byte of sendfile to {@code socket}. */
    static int perByte(Endpoint socket) {
        return CopyModel.kernelCopiesPerByte(Operation.FILE_TRANSFER_TO, TransferPath.DIRECT, EndpointKind.SOCKET,
                socket.sendOffload());
    }

    /**
     * The facts behind {@link #perByte}: "lo: scatter-gather on, tx-checksumming on → 0 CPU copies per byte",
     * or the general rule when the interfaces are unknown.
     */
    static String why(Endpoint socket) {
        SendOffload offload = socket.sendOffload();
        if (offload == SendOffload.UNKNOWN) {
            String unknown = socket.egress().stream().map(Nic::describe).collect(Collectors.joining("; "));
            return "0 with a scatter/gather-DMA NIC" + (unknown.isEmpty() ? "" : " (" + unknown + ")");
        }
        int copies = perByte(socket);
        return socket.egress().stream().map(Nic::describe).collect(Collectors.joining("; ")) + " → " + copies
                + (copies == 1 ? " CPU copy" : " CPU copies") + " per byte";
    }
}
