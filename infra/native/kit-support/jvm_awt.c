/*
 * Test tooling for executables built with the unofficial native-image kit (../shared/native-kit); never part
 * of a release build.
 *
 * The kit links the JDK's shared libjava & co. plus its own minimal libjvm.so, which covers the JVM_* functions
 * those libraries import, but not the one the JDK's libawt.so imports: JVM_IsStaticallyLinked. Without it
 * dlopen("libawt.so") fails on an undefined symbol and every ImageIO/Java2D use dies with
 * "UnsatisfiedLinkError: Can't load library: awt". Official GraalVM/Mandrel executables define it themselves.
 *
 * native-smoke.sh links this library into the executable (NEEDED, found in lib/ through the rpath), so the
 * symbol is in the global scope when libawt.so is loaded. The answer is "no": the JDK libraries are separate
 * shared objects here, so libawt must load libawt_headless.so from its own directory, as on a normal JDK.
 */
int JVM_IsStaticallyLinked(void) {
    return 0;
}
