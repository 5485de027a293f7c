// SPDX-License-Identifier: Apache-2.0
package io.copytrace.boot;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Reading from an object's header whether its identity hash was computed (surefire exports jdk.internal.misc). */
class HeadersTest {
    @Test
    void aNewArrayIsNeverHashedUntilItsIdentityHashIsTaken() {
        assertTrue(Headers.WORKS, "the self-test should find the hash in this JVM's headers");
        byte[] a = new byte[512];
        assertTrue(Headers.neverHashed(a));
        System.identityHashCode(a);
        assertFalse(Headers.neverHashed(a));
        assertTrue(Headers.neverHashed(new byte[512]), "another new array");
    }

    @Test
    void aLockedObjectCountsAsMaybeHashed() {
        byte[] a = new byte[64];
        synchronized (a) {
            assertFalse(Headers.neverHashed(a), "a locked header does not say: answer maybe, never skip");
        }
        assertTrue(Headers.neverHashed(a), "unlocked again, still never hashed");
    }

    @Test
    void anArrayInTheProvenanceTableWasHashed() {
        byte[] a = new byte[4096];
        Provenance.fill(a, 0, 100, Provenance.source(1, 1, 0));
        assertFalse(Headers.neverHashed(a), "a fill keys the array by its identity hash");
        Matches m = new Matches();
        assertTrue(Provenance.lookup(a, 0, 100, m) == 100, "and a lookup finds it");
        Provenance.clear();
    }
}
