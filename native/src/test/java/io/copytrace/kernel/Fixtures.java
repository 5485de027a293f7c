// SPDX-License-Identifier: Apache-2.0
package io.copytrace.kernel;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Test-only: paths of the fixture files under src/test/resources/fixtures. */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path path(String relative) {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/" + relative).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
