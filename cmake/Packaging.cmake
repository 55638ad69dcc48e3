# SPDX-License-Identifier: GPL-3.0-or-later
# Installation extras and the Debian packages (CPack, one package per install
# COMPONENT). Included at the end of the top-level CMakeLists.txt, after every
# install() rule of the project.
#
#   cmake --preset release -DCMAKE_INSTALL_PREFIX=/usr
#   cmake --build --preset release && cd build/release && cpack -G DEB
#
# or simply packaging/debian/build-deb.sh. See docs/PACKAGING.md.

include(${CMAKE_CURRENT_LIST_DIR}/PkgConfigFile.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/ManPages.cmake)

# ---- the packages: one per install COMPONENT ---------------------------------
# component  package         what
# lib        libtamga0       libtamga.so.0 (the shared library, soname 0)
# dev        libtamga-dev    headers, tamga.pc, the libtamga.so link
# cli        tamga           the tamga command and its man pages
# recorder   tamga-recorder  the desktop app (GTK 4), .desktop, metainfo, icon
# common     tamga-common    translations (arch all), for the CLI, app and library
# The CLI and the app link the static archive (they use internal helpers), so
# they do not load libtamga.so.0: neither package depends on libtamga0.
set(TAMGA_DEB_COMPONENTS lib dev)
if(TARGET tamga_cli)
  list(APPEND TAMGA_DEB_COMPONENTS cli)
endif()
if(TARGET tamga_recorder)
  list(APPEND TAMGA_DEB_COMPONENTS recorder)
endif()
if(TARGET tamga_translations)
  list(APPEND TAMGA_DEB_COMPONENTS common)
endif()
set(TAMGA_DEB_NAME_lib libtamga0)
set(TAMGA_DEB_NAME_dev libtamga-dev)
set(TAMGA_DEB_NAME_cli tamga)
set(TAMGA_DEB_NAME_recorder tamga-recorder)
set(TAMGA_DEB_NAME_common tamga-common)

# ---- documentation files of every package ------------------------------------
# Debian policy: each package has /usr/share/doc/<package>/copyright, and a
# non-native version its changelog.Debian.gz.
set(TAMGA_DEB_RELEASE 1)
set(TAMGA_DEB_VERSION "${PROJECT_VERSION}-${TAMGA_DEB_RELEASE}")
set(TAMGA_DEB_MAINTAINER
    "tamga maintainers <maintainers@users.noreply.r-seed-272c7ca3.example>")
execute_process(COMMAND git log -1 --format=%cD
                WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
                OUTPUT_VARIABLE TAMGA_DEB_DATE
                OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT TAMGA_DEB_DATE)
  string(TIMESTAMP TAMGA_DEB_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
endif()
configure_file(${CMAKE_SOURCE_DIR}/packaging/debian/changelog.in
               ${CMAKE_BINARY_DIR}/debian/changelog.Debian @ONLY)
find_program(TAMGA_GZIP gzip)
if(TAMGA_GZIP)
  # gzip -9n: no file name or time stamp inside, as Debian policy asks.
  execute_process(COMMAND ${TAMGA_GZIP} -9nf -k ${CMAKE_BINARY_DIR}/debian/changelog.Debian)
endif()
foreach(comp IN LISTS TAMGA_DEB_COMPONENTS)
  set(docdir ${CMAKE_INSTALL_DATAROOTDIR}/doc/${TAMGA_DEB_NAME_${comp}})
  install(FILES ${CMAKE_SOURCE_DIR}/packaging/debian/copyright DESTINATION ${docdir}
          COMPONENT ${comp})
  if(TAMGA_GZIP)
    install(FILES ${CMAKE_BINARY_DIR}/debian/changelog.Debian.gz DESTINATION ${docdir}
            COMPONENT ${comp})
  endif()
endforeach()

# ---- CPack: the Debian packages ----------------------------------------------
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "tamga")
set(CPACK_PACKAGE_VENDOR "tamga developers")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${TAMGA_DEB_MAINTAINER}")
# CPackDeb puts CPACK_PACKAGE_DESCRIPTION_SUMMARY in front of every
# component's description unless it is CPack's default text; each package
# has its own first line (synopsis) below, so leave the default in place.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_SOURCE_DIR}/LICENSE)

# Install where the build was configured for (-DCMAKE_INSTALL_PREFIX=/usr for
# a Debian package): paths compiled into the programs (translations) and the
# pkg-config file must match where the package puts the files.
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  message(STATUS "CPack: the .debs would install under ${CMAKE_INSTALL_PREFIX}; "
                 "configure with -DCMAKE_INSTALL_PREFIX=/usr for Debian packages")
endif()

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL ${TAMGA_DEB_COMPONENTS})
set(CPACK_COMPONENTS_GROUPING IGNORE) # one package per component
set(CPACK_DEBIAN_PACKAGE_RELEASE ${TAMGA_DEB_RELEASE})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # <name>_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SOURCE "tamga")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${TAMGA_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
# Runtime dependencies come from dpkg-shlibdeps (libsodium23, libgtk-4-1, ...),
# for every package with ELF files in it.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# "libtamga 0 libtamga0 (>= 0.1.0-1)" in libtamga0's shlibs file.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
# "Depends: <package> (= <this version>)" from CPACK_COMPONENT_<C>_DEPENDS.
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_IGNORE_FILES "/build/;/\\\\.git/")
foreach(comp IN LISTS TAMGA_DEB_COMPONENTS)
  string(TOUPPER ${comp} COMP)
  set(CPACK_DEBIAN_${COMP}_PACKAGE_NAME ${TAMGA_DEB_NAME_${comp}})
endforeach()

# Descriptions: a synopsis, what tamga is (description.txt, shared), what
# this package holds.
file(READ ${CMAKE_SOURCE_DIR}/packaging/debian/description.txt TAMGA_DEB_ABOUT)
string(STRIP "${TAMGA_DEB_ABOUT}" TAMGA_DEB_ABOUT)
function(tamga_deb_description comp synopsis)
  string(TOUPPER ${comp} COMP)
  string(JOIN "" text ${ARGN})
  set(CPACK_DEBIAN_${COMP}_DESCRIPTION "${synopsis}\n${TAMGA_DEB_ABOUT}\n\n${text}\n"
      PARENT_SCOPE)
endfunction()

# libtamga0
tamga_deb_description(lib "secure offline testimony recorder - shared library"
  "This package contains the shared library libtamga.so.0, for programs that\n"
  "record, verify or hand over tamga cases. The tamga command and the desktop\n"
  "app do not need it: they carry their own copy of the library.")
set(CPACK_DEBIAN_LIB_PACKAGE_SECTION "libs")
# ldconfig runs through dpkg's trigger, not from maintainer scripts (lintian:
# lacks-ldconfig-trigger, maintscript-calls-ldconfig): our postinst/postrm
# replace the ones CPack would write for a package with a shared library.
set(CPACK_DEBIAN_LIB_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/packaging/debian/triggers
    ${CMAKE_SOURCE_DIR}/packaging/debian/postinst
    ${CMAKE_SOURCE_DIR}/packaging/debian/postrm)
if(common IN_LIST TAMGA_DEB_COMPONENTS)
  # The verification report is translated when the program using the
  # library sets a locale; English without the catalogues.
  set(CPACK_DEBIAN_LIB_PACKAGE_RECOMMENDS "tamga-common")
endif()

# libtamga-dev. tamga.pc's Requires.private must resolve for pkg-config to
# answer at all, so the -dev packages of those libraries come along.
tamga_deb_description(dev "secure offline testimony recorder - development files"
  "This package contains the C headers, the pkg-config file (tamga.pc) and the\n"
  "libtamga.so link needed to build programs that use libtamga.")
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION "libdevel")
set(CPACK_COMPONENT_DEV_DEPENDS lib)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "libsodium-dev (>= 1.0.18), libopus-dev, libopusenc-dev, libopusfile-dev, \
libsndfile1-dev, libjansson-dev (>= 2.14), portaudio19-dev, libarchive-dev")

# tamga, the command: dpkg-shlibdeps finds no libtamga0 in it (static link).
tamga_deb_description(cli "secure offline recorder for spoken testimony"
  "This package contains the tamga command-line tool and its manual pages.\n"
  "It needs no graphical desktop.")
set(CPACK_DEBIAN_CLI_PACKAGE_SECTION "utils")
# Tools a partner or archivist uses beside tamga to check its files.
set(CPACK_DEBIAN_CLI_PACKAGE_SUGGESTS "minisign, age, opus-tools")

# tamga-recorder, the desktop app: GTK comes from dpkg-shlibdeps.
tamga_deb_description(recorder "secure offline testimony recorder - desktop app"
  "This package contains tamga-recorder, the GTK 4 desktop app: record, verify\n"
  "and hand over recordings without a terminal. It works on its own: the tamga\n"
  "command (package tamga) is only needed for scripts.")
set(CPACK_DEBIAN_RECORDER_PACKAGE_SECTION "sound")
set(CPACK_DEBIAN_RECORDER_PACKAGE_SUGGESTS "tamga, minisign, age, opus-tools")

# tamga-common: the translations, the same on every architecture.
tamga_deb_description(common "secure offline testimony recorder - translations"
  "This package contains the translations (Kazakh, Russian, Uyghur) of the\n"
  "tamga command, the desktop app and the library's verification report.")
set(CPACK_DEBIAN_COMMON_PACKAGE_SECTION "utils")
set(CPACK_DEBIAN_COMMON_PACKAGE_ARCHITECTURE "all")
if(common IN_LIST TAMGA_DEB_COMPONENTS)
  set(CPACK_COMPONENT_CLI_DEPENDS common)
  set(CPACK_COMPONENT_RECORDER_DEPENDS common)
endif()

include(CPack)
