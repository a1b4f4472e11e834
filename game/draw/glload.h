/*
 * glload: the OpenGL entry points render.c uses beyond OpenGL 1.1.
 *
 * Linux's libGL exports every entry point, so there the prototypes from
 * glext.h are the functions and glload_init has nothing to do. Windows'
 * opengl32.dll exports only OpenGL 1.1; everything newer comes from the
 * driver through SDL_GL_GetProcAddress once a context is current. There
 * each name below (glBindBuffer, ...) is a macro for a function pointer
 * that glload_init fills.
 *
 * Include this instead of GL/gl.h.
 *
 * Threading contract: main thread only (the thread with the GL context);
 * glload_init before the first call of any function listed here.
 */
#ifndef LANARENA_GLLOAD_H
#define LANARENA_GLLOAD_H

#include <stdbool.h>
#include <stddef.h>

#if defined(_WIN32)
#define WIN32_LEAN_AND_MEAN
#define NOMINMAX
#include <windows.h>
#else
#define GL_GLEXT_PROTOTYPES 1
#endif
#include <GL/gl.h>
#include <GL/glext.h>

/* X(name, PFN type) for every entry point past OpenGL 1.1. */
#define GLLOAD_FUNCTIONS(X)                                                 \
    X(glActiveTexture, PFNGLACTIVETEXTUREPROC)                              \
    X(glAttachShader, PFNGLATTACHSHADERPROC)                                \
    X(glBindBuffer, PFNGLBINDBUFFERPROC)                                    \
    X(glBindFramebuffer, PFNGLBINDFRAMEBUFFERPROC)                          \
    X(glBindVertexArray, PFNGLBINDVERTEXARRAYPROC)                          \
    X(glBlendFuncSeparate, PFNGLBLENDFUNCSEPARATEPROC)                      \
    X(glBlitFramebuffer, PFNGLBLITFRAMEBUFFERPROC)                          \
    X(glBufferData, PFNGLBUFFERDATAPROC)                                    \
    X(glBufferSubData, PFNGLBUFFERSUBDATAPROC)                              \
    X(glCheckFramebufferStatus, PFNGLCHECKFRAMEBUFFERSTATUSPROC)            \
    X(glCompileShader, PFNGLCOMPILESHADERPROC)                              \
    X(glCreateProgram, PFNGLCREATEPROGRAMPROC)                              \
    X(glCreateShader, PFNGLCREATESHADERPROC)                                \
    X(glDeleteBuffers, PFNGLDELETEBUFFERSPROC)                              \
    X(glDeleteFramebuffers, PFNGLDELETEFRAMEBUFFERSPROC)                    \
    X(glDeleteProgram, PFNGLDELETEPROGRAMPROC)                              \
    X(glDeleteShader, PFNGLDELETESHADERPROC)                                \
    X(glDeleteVertexArrays, PFNGLDELETEVERTEXARRAYSPROC)                    \
    X(glDrawElementsBaseVertex, PFNGLDRAWELEMENTSBASEVERTEXPROC)            \
    X(glEnableVertexAttribArray, PFNGLENABLEVERTEXATTRIBARRAYPROC)          \
    X(glFramebufferTexture2D, PFNGLFRAMEBUFFERTEXTURE2DPROC)                \
    X(glGenBuffers, PFNGLGENBUFFERSPROC)                                    \
    X(glGenFramebuffers, PFNGLGENFRAMEBUFFERSPROC)                          \
    X(glGenVertexArrays, PFNGLGENVERTEXARRAYSPROC)                          \
    X(glGetProgramInfoLog, PFNGLGETPROGRAMINFOLOGPROC)                      \
    X(glGetProgramiv, PFNGLGETPROGRAMIVPROC)                                \
    X(glGetShaderInfoLog, PFNGLGETSHADERINFOLOGPROC)                        \
    X(glGetShaderiv, PFNGLGETSHADERIVPROC)                                  \
    X(glGetUniformLocation, PFNGLGETUNIFORMLOCATIONPROC)                    \
    X(glLinkProgram, PFNGLLINKPROGRAMPROC)                                  \
    X(glShaderSource, PFNGLSHADERSOURCEPROC)                                \
    X(glUniform1i, PFNGLUNIFORM1IPROC)                                      \
    X(glUniform2f, PFNGLUNIFORM2FPROC)                                      \
    X(glUseProgram, PFNGLUSEPROGRAMPROC)                                    \
    X(glVertexAttribPointer, PFNGLVERTEXATTRIBPOINTERPROC)

#if defined(_WIN32)
#define GLLOAD_DECLARE(name, type) extern type glload_##name;
GLLOAD_FUNCTIONS(GLLOAD_DECLARE)
#undef GLLOAD_DECLARE
#include "glload_names.h"
#endif

/* Looks up every function listed above in the current context. False
 * with a sentence naming the first one missing. */
bool glload_init(char *err, size_t err_cap);

#endif
