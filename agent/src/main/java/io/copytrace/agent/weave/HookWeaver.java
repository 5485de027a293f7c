// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.weave;

import io.copytrace.agent.hooks.Hook;
import java.util.List;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.TypeResolutionStrategy;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.pool.TypePool;

/**
 * Inlines the hooks' advice into one class's bytes with Byte Buddy. The only class that touches Byte
 * Buddy at run time, and only made when a class is not in the {@link WovenClassCache}. Does what an
 * {@code AgentBuilder} with {@code disableClassFormatChanges()} and the {@code DECORATE} type strategy
 * would, without its start-up cost (a generated transformer class, proxies, matchers on every class).
 */
final class HookWeaver {
    private final Map<String, List<Hook>> hooksByType;
    private final ClassFileLocator adviceLocator;
    private final ByteBuddy byteBuddy;

    HookWeaver(Map<String, List<Hook>> hooksByType, ClassLoader adviceLoader) {
        this.hooksByType = hooksByType;
        this.adviceLocator = ClassFileLocator.ForClassLoader.of(adviceLoader);
        // No added fields or methods: retransformation forbids them. Weaving only makes bytes; no class is
        // injected, so Byte Buddy's ClassInjector (the part that would touch sun.misc.Unsafe) never loads.
        this.byteBuddy = new ByteBuddy().with(Implementation.Context.Disabled.Factory.INSTANCE);
    }

    /** The class with every hook of its type inlined. */
    byte[] weave(String className, ClassLoader loader, byte[] original) {
        ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(className, original),
                ClassFileLocator.ForClassLoader.of(loader), adviceLocator);
        TypePool pool = new TypePool.Default.WithLazyResolution(TypePool.CacheProvider.Simple.withObjectType(),
                locator, TypePool.Default.ReaderMode.FAST);
        TypeDescription type = pool.describe(className).resolve();
        DynamicType.Builder<?> builder = byteBuddy.decorate(type, locator);
        for (Hook h : hooksByType.get(className)) {
            Advice advice = Advice.to(pool.describe(h.advice().getName()).resolve(), locator);
            builder = builder.visit(advice.on(h.methods()));
        }
        return builder.make(TypeResolutionStrategy.Disabled.INSTANCE, pool).getBytes();
    }
}
