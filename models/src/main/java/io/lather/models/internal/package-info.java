/**
 * Implementation of {@code io.lather.models}: the SameDiff graph builders, the initialisation generator, the
 * config codec and the one place user-facing error messages are built. Nothing here is a stable API; callers use
 * {@link io.lather.models.Model} and {@link io.lather.models.ModelSpec}.
 */
package io.lather.models.internal;
