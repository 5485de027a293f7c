// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.workloads;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.eclipse.jetty.http.content.HttpContent;
import org.eclipse.jetty.http.content.ResourceHttpContentFactory;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * Jetty 12.1's core {@code ResourceHandler} serving a folder with one file, in two set-ups:
 * <ul>
 *   <li>{@code jetty-cache}: ResourceHandler as it comes. Its content factory chain (12.1.14,
 *   {@code ResourceHandler.newHttpContentFactory}) is ResourceHttpContentFactory, then
 *   FileMappingHttpContentFactory (files of 1 MiB and more are mapped: the default
 *   {@code minMappedFileSize} -1 means 1 MiB), then ValidatingCachingHttpContentFactory, which on the
 *   first GET reads the whole file into one pooled buffer ({@code IOResources.toRetainableByteBuffer}) and
 *   serves every GET from that memory.</li>
 *   <li>{@code jetty-nocache}: the content factory is the bare ResourceHttpContentFactory: no cache, no
 *   mapping, so every GET streams the file through 32 KiB pooled direct buffers
 *   ({@code IOResources.PathToSinkCopier}: {@code SeekableByteChannel.read}, then a write per buffer).</li>
 * </ul>
 */
final class JettyFileServer {
    private JettyFileServer() {}

    static void run(String scenario, Path dir) throws Exception {
        boolean cache = switch (scenario) {
            case "jetty-cache" -> true;
            case "jetty-nocache" -> false;
            default -> throw new IllegalArgumentException(scenario);
        };
        byte[] content = FileServerClient.content();
        Path www = dir.resolve("www");
        FileServerClient.writeServedFile(www, content);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ResourceHandler files = cache ? new ResourceHandler() : new NoCacheResourceHandler();
        files.setBaseResource(ResourceFactory.of(server).newResource(www));
        files.setDirAllowed(false);
        server.setHandler(files);
        server.start();
        try {
            FileServerClient.download(new InetSocketAddress("127.0.0.1", connector.getLocalPort()), content);
        } finally {
            server.stop();
        }
    }

    /** No content cache and no file mapping: the factory that reads the file for every request. */
    static final class NoCacheResourceHandler extends ResourceHandler {
        @Override
        protected HttpContent.Factory newHttpContentFactory(ByteBufferPool.Sized byteBufferPool) {
            return new ResourceHttpContentFactory(getBaseResource(), getMimeTypes(), byteBufferPool);
        }
    }
}
