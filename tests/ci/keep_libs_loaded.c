/*
 * keep_libs_loaded: an LD_PRELOAD shim for the sanitizer runs only
 * (tests/ci/asan.sh, soak.sh). It makes dlclose() a no-op.
 *
 * Why: at exit SDL unloads the OpenGL driver (Mesa's libEGL/libGL,
 * swrast/llvmpipe, libLLVM) with dlclose(). LeakSanitizer runs after that,
 * no longer sees the driver's globals, and reports everything they held
 * as leaked, from "<unknown module>" frames that no suppression can name.
 * Keeping the libraries mapped lets LeakSanitizer see those globals, so
 * only real leaks are reported. It changes nothing in our code: lanarena
 * never calls dlclose itself.
 */
int dlclose(void *handle);

int dlclose(void *handle)
{
    (void)handle;
    return 0;
}
