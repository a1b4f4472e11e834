# Cross-compiling for 64-bit Windows with Debian's mingw-w64 (package
# gcc-mingw-w64-x86-64):
#   cmake -S . -B build-win -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64-x86_64.cmake \
#         -DCMAKE_PREFIX_PATH=/path/to/windows/deps
# Libraries and headers come only from the mingw sysroot and from the
# prefixes in CMAKE_PREFIX_PATH / LANARENA_WIN_DEPS, never from the Linux
# system; programs (the compiler's helpers) come from the host.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(LANARENA_MINGW x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${LANARENA_MINGW}-gcc)
set(CMAKE_CXX_COMPILER ${LANARENA_MINGW}-g++)
set(CMAKE_RC_COMPILER ${LANARENA_MINGW}-windres)
set(CMAKE_AR ${LANARENA_MINGW}-ar CACHE FILEPATH "")
set(CMAKE_RANLIB ${LANARENA_MINGW}-ranlib CACHE FILEPATH "")

# The deps prefix may also come from the environment, so the toolchain
# file alone is enough for the dependency builds.
if(NOT LANARENA_WIN_DEPS AND DEFINED ENV{LANARENA_WIN_DEPS})
  set(LANARENA_WIN_DEPS $ENV{LANARENA_WIN_DEPS})
endif()
set(CMAKE_FIND_ROOT_PATH /usr/${LANARENA_MINGW} ${LANARENA_WIN_DEPS} ${CMAKE_PREFIX_PATH})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# The game's own DLL-free runtime: libgcc is linked in, not shipped.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static-libgcc")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static-libgcc")
