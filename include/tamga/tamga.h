/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Umbrella header for libtamga. */
#ifndef TAMGA_H
#define TAMGA_H

#include "tamga/audio.h"
#include "tamga/bundle.h"
#include "tamga/case.h"
#include "tamga/common.h"
#include "tamga/container.h"
#include "tamga/custody.h"
#include "tamga/error.h"
#include "tamga/identity.h"
#include "tamga/manifest.h"
#include "tamga/minisig.h"
#include "tamga/privmeta.h"
#include "tamga/record.h"
#include "tamga/recorder.h"
#include "tamga/trust.h"
#include "tamga/verify.h"
#include "tamga/wipe.h"

#endif
