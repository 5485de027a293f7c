// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * The only agent class on the application's class path. It defines the {@code io.copytrace.boot} probe
 * classes in the bootstrap loader (where the advice inlined into JDK classes can call them), then loads the
 * real agent from the jar's {@code inst/} folder through a private class loader, so neither Byte Buddy, JNA
 * nor the agent's code is visible to the application. Both happen once per JVM: every later load (an attach
 * that opens a new window, or {@value #STOP}) uses the same probe classes and the same loader, so windows
 * opened one after another load no classes again and leave no copy of JNA behind. It never throws: any
 * failure prints one line and the app runs on.
 */
public final class AgentMain {
    /** The agent options that end the open window instead of opening one. */
    static final String STOP = "stop";
    /** The agent core's loader, made by the first load that installs; kept for the JVM's life. */
    private static volatile ClassLoader core;

    private AgentMain() {}

    /** {@code -javaagent} entry. */
    public static void premain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    /** Attach entry. */
    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    /** {@code java -jar copytrace.jar ...}: the command-line tool. */
    public static void main(String[] args) throws Exception {
        Path jar = ownJar();
        ClassLoader loader = new InstLoader(jar);
        Class<?> cli = loader.loadClass("io.copytrace.agent.AgentCli");
        int status = (int) cli.getMethod("run", String[].class, Path.class).invoke(null, args, jar);
        System.exit(status);
    }

    private static void start(String args, Instrumentation inst, boolean attached) {
        String status;
        try {
            status = install(args, inst, attached);
        } catch (Throwable t) {
            Throwable cause = t instanceof java.lang.reflect.InvocationTargetException && t.getCause() != null
                    ? t.getCause() : t;
            status = "copytrace: agent disabled, it could not start: " + cause;
            System.err.println(status);
        }
        if (attached) publish(inst, status);
    }

    /** The agent core's loader: made on first use, then the same one for every window. */
    private static synchronized ClassLoader core(Path jar) throws IOException {
        if (core == null) core = new InstLoader(jar);
        return core;
    }

    /**
     * Opens a window unless one is open, or ends the open one on {@value #STOP}; returns what happened, in
     * one line.
     */
    private static String install(String args, Instrumentation inst, boolean attached) throws Exception {
        Path jar = ownJar();
        Class<?> probe = bootClass("io.copytrace.boot.Probe");
        if (probe == null) {
            defineBootClasses(inst, jar);
            probe = bootClass("io.copytrace.boot.Probe");
        }
        if (attached) {
            // The JDK's Attach Listener thread serves tools (this agent's load, the attach tool reading the
            // agent properties, jcmd): what it does is never the application's I/O.
            probe.getMethod("suppressCurrentThread").invoke(null);
        }
        Class<?> boot = core(jar).loadClass("io.copytrace.agent.Bootstrap");
        if (STOP.equals(args == null ? "" : args.trim())) return (String) boot.getMethod("stop").invoke(null);
        // One window at a time: hooking twice would count every call twice.
        Object recording = probe.getField("openRecording").get(null);
        if (recording != null) {
            String line = "copytrace: a recording window is open in this JVM (recording to " + recording + "); this load"
                    + (args == null || args.isEmpty() ? "" : " (" + args + ")") + " does nothing; '"
                    + STOP + "' ends the window";
            System.err.println(line);
            return line;
        }
        return (String) boot.getMethod("start", String.class, Instrumentation.class, boolean.class, Path.class)
                .invoke(null, args, inst, attached, jar);
    }

    /**
     * Leaves the outcome of an attach in the JVM's agent properties ({@value #STATUS}), where the attaching
     * tool reads it ({@code VirtualMachine.getAgentProperties}): the app's stderr is not the user's terminal.
     */
    private static void publish(Instrumentation inst, String status) {
        try {
            inst.redefineModule(Object.class.getModule(), java.util.Set.of(), java.util.Map.of("jdk.internal.vm",
                    java.util.Set.of(AgentMain.class.getModule())), java.util.Map.of(), java.util.Set.of(),
                    java.util.Map.of());
            java.util.Properties agentProperties = (java.util.Properties) Class.forName("jdk.internal.vm.VMSupport")
                    .getMethod("getAgentProperties").invoke(null);
            agentProperties.setProperty(STATUS, status);
        } catch (Throwable t) {
            // Only the attach tool's message is lost; the agent itself is unaffected.
        }
    }

    /** The agent property that holds the outcome of the last load. */
    static final String STATUS = "copytrace.status";

    /**
     * Defines the {@code io.copytrace.boot} probe classes in the bootstrap loader, where the advice inlined
     * into JDK classes can see them. {@code appendToBootstrapClassLoaderSearch} would do it too, but it
     * makes HotSpot print a CDS warning and turn class sharing off for the application's classes.
     */
    private static void defineBootClasses(Instrumentation inst, Path jarPath) throws Exception {
        Module javaBase = Object.class.getModule();
        inst.redefineModule(javaBase, java.util.Set.of(), java.util.Map.of("jdk.internal.misc",
                java.util.Set.of(AgentMain.class.getModule())), java.util.Map.of(), java.util.Set.of(), java.util.Map.of());
        Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
        java.lang.reflect.Method define = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class,
                int.class, ClassLoader.class, java.security.ProtectionDomain.class);
        try (JarFile jar = new JarFile(jarPath.toFile(), false)) {
            Enumeration<java.util.jar.JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String n = e.getName();
                if (!n.startsWith("io/copytrace/boot/") || !n.endsWith(".class")) continue;
                String name = n.substring(0, n.length() - 6).replace('/', '.');
                byte[] bytes;
                try (InputStream in = jar.getInputStream(e)) {
                    bytes = InstLoader.readAll(in, e.getSize());
                }
                define.invoke(unsafe, name, bytes, 0, bytes.length, null, null);
            }
        }
    }

    /** A class the bootstrap loader has, or null. */
    private static Class<?> bootClass(String name) {
        try {
            return Class.forName(name, false, null);
        } catch (ClassNotFoundException none) {
            return null;
        }
    }

    private static Path ownJar() throws Exception {
        return Path.of(AgentMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Loads classes and resources from the {@code inst/} folder of the agent jar, parent = platform loader. */
    static final class InstLoader extends ClassLoader {
        private static final String PREFIX = "inst/";
        private final JarFile jar;
        private final String jarUrl;

        static {
            ClassLoader.registerAsParallelCapable();
        }

        InstLoader(Path jarPath) throws IOException {
            super("copytrace", ClassLoader.getPlatformClassLoader());
            this.jar = new JarFile(jarPath.toFile(), false);
            this.jarUrl = "jar:" + jarPath.toUri() + "!/";
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            ZipEntry e = jar.getEntry(PREFIX + name.replace('.', '/') + ".class");
            if (e == null) throw new ClassNotFoundException(name);
            try (InputStream in = jar.getInputStream(e)) {
                byte[] bytes = readAll(in, e.getSize());
                int dot = name.lastIndexOf('.');
                if (dot > 0) {
                    String pkg = name.substring(0, dot);
                    if (getDefinedPackage(pkg) == null) {
                        try {
                            definePackage(pkg, null, null, null, null, null, null, null);
                        } catch (IllegalArgumentException raced) {
                            // another thread defined it first
                        }
                    }
                }
                return defineClass(name, bytes, 0, bytes.length);
            } catch (IOException x) {
                throw new ClassNotFoundException(name, x);
            }
        }

        @Override
        protected URL findResource(String name) {
            if (jar.getEntry(PREFIX + name) == null) return null;
            try {
                return new URL(jarUrl + PREFIX + name);
            } catch (MalformedURLException x) {
                return null;
            }
        }

        @Override
        protected Enumeration<URL> findResources(String name) {
            URL u = findResource(name);
            return java.util.Collections.enumeration(u == null ? java.util.List.of() : java.util.List.of(u));
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            // Straight from the open jar: no URL connection, no caching surprises.
            ZipEntry e = jar.getEntry(PREFIX + name);
            if (e == null) return super.getResourceAsStream(name);
            try {
                return jar.getInputStream(e);
            } catch (IOException x) {
                return null;
            }
        }

        /**
         * The entry's bytes in one array of its size when the jar says it (every class the agent defines: a
         * stream copy per class was ~2 MB of garbage at start, pages the JVM's exit then frees).
         */
        static byte[] readAll(InputStream in, long size) throws IOException {
            if (size < 0 || size > Integer.MAX_VALUE - 16) return in.readAllBytes();
            byte[] bytes = new byte[(int) size];
            int n = in.readNBytes(bytes, 0, bytes.length);
            if (n != bytes.length || in.read() >= 0) throw new IOException("entry size " + size + " but read " + n);
            return bytes;
        }
    }
}
