// SPDX-License-Identifier: Apache-2.0
package io.copytrace.analysis;

import io.copytrace.model.EndpointKind;
import io.copytrace.model.TransferPath;
import io.copytrace.recording.CopyRecord;
import io.copytrace.recording.Recording;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Finding 9: transfers that already ran in the kernel (path direct): reported as good, with their volume. */
final class ZeroCopyRule implements Rule {
    static final String ID = "zero-copy";

    @Override
    public List<Finding> find(Recording recording, HostCost cost, Set<CopyRecord> claimed) {
        List<Finding> findings = new ArrayList<>();
        for (CopyRecord r : recording.applicationRecords()) {
            if (r.path() != TransferPath.DIRECT || r.bytesMoved() <= 0) continue;
            claimed.add(r); // no other rule may call these a problem
            Evidence.Builder evidence = new Evidence.Builder()
                    .put("calls", "calls", Facts.record(r))
                    .put("mechanism", "mechanism", Prose.of(Figure.MECHANISM, r.mechanism() == null ? "direct" : r.mechanism()))
                    .put("source", "source", Facts.endpoint(r.source()))
                    .put("target", "target", Facts.endpoint(r.target()));
            if (r.target().kind() == EndpointKind.SOCKET && !r.target().egress().isEmpty()) {
                evidence.put("egress", "sent through", Facts.egress(r.target()));
                KernelPacing.note(evidence, r.target());
            }
            Prose storage = StorageReadRule.sendsFileFromKernel(r) ? StorageReadRule.storageRead(recording, r) : null;
            if (storage != null) evidence.put("storage", "file bytes from", storage);
            String title = r.operation().title() + " moved " + Units.bytes(r.bytesMoved()) + " in the kernel ("
                    + (r.mechanism() == null ? "direct" : r.mechanism()) + "): already zero-copy";
            String advice = "No user-space copy: keep it. The kernel still makes one page copy per byte unless the "
                    + "NIC does scatter/gather DMA (sendfile) or the file system reflinks (copy_file_range).";
            findings.add(new Finding(ID, FindingKind.GOOD, title, r.site(), r.bytesMoved(), evidence.build(), Saving.NONE,
                    advice, "", Confidence.HIGH).withPaths(CopyPaths.zeroCopy(recording, r)));
        }
        return findings;
    }
}
