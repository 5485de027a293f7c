// SPDX-License-Identifier: Apache-2.0
package io.copytrace.model;

/**
 * Whether the interfaces a socket's bytes leave by let sendfile skip the CPU copy: with scatter-gather and
 * TX checksumming the NIC (or loopback) takes page references and no CPU touches the bytes; without either
 * the kernel copies them into the socket's buffer (primer §8).
 */
public enum SendOffload {
    /** Every egress interface has scatter-gather and TX checksumming on: 0 CPU copies per byte. */
    SG_DMA,
    /** Some egress interface lacks one of them: 1 CPU copy per byte. */
    CPU_COPY,
    /** Not looked at (no network facts, {@code kernel=off}, or the interface would not say): counted as 1. */
    UNKNOWN
}
