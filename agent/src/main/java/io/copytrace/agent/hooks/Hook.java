// SPDX-License-Identifier: Apache-2.0
package io.copytrace.agent.hooks;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * One advice applied to the methods {@code methods} of the class named {@code type}.
 *
 * @param type the binary name of the instrumented class
 * @param methods which of its methods get the advice
 * @param advice the advice class (nested static class with @OnMethodEnter/@OnMethodExit)
 */
public record Hook(String type, ElementMatcher<? super MethodDescription> methods, Class<?> advice) {}
