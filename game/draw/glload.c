#include "glload.h"

#include <SDL.h>
#include <stdio.h>

#if defined(_WIN32)
#define GLLOAD_DEFINE(name, type) type glload_##name;
GLLOAD_FUNCTIONS(GLLOAD_DEFINE)
#undef GLLOAD_DEFINE

bool glload_init(char *err, size_t err_cap)
{
#define GLLOAD_FETCH(name, type)                                                                    \
    glload_##name = (type)SDL_GL_GetProcAddress(#name);                                             \
    if (!glload_##name) {                                                                           \
        snprintf(err, err_cap, "The graphics driver lacks %s; OpenGL 3.3 is needed.", #name);       \
        return false;                                                                               \
    }
    GLLOAD_FUNCTIONS(GLLOAD_FETCH)
#undef GLLOAD_FETCH
    return true;
}
#else
bool glload_init(char *err, size_t err_cap)
{
    (void)err;
    (void)err_cap;
    return true;
}
#endif
