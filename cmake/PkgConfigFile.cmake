# SPDX-License-Identifier: GPL-3.0-or-later
# tamga.pc for the shared library, installed to <libdir>/pkgconfig.
# Paths are written relative to ${prefix} when GNUInstallDirs gives relative
# ones, so the file stays right if the tree is moved with DESTDIR.
set(TAMGA_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(TAMGA_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  set(TAMGA_PC_LIBDIR "\${exec_prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(TAMGA_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(TAMGA_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(${CMAKE_SOURCE_DIR}/packaging/tamga.pc.in ${CMAKE_BINARY_DIR}/tamga.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/tamga.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
        COMPONENT dev)
