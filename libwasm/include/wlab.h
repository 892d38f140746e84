/* wlab.h: the whole public API of libwasm in one include. */
#ifndef WLAB_H
#define WLAB_H

#include "wlab/status.h"
#include "wlab/features.h"
#include "wlab/reader.h"
#include "wlab/module.h"
#include "wlab/instr.h"
#include "wlab/validate.h"
#include "wlab/runtime.h"
#include "wlab/wasi.h"
#include "wlab/encode.h"
#include "wlab/link.h"
#include "wlab/wat.h"
#include "wlab/script.h"
#include "wlab/uses.h"
#include "wlab/dwarf.h"
#include "wlab/debuginfo.h"
#include "wlab/demangle.h"
#include "wlab/watprint.h"
#include "wlab/refgraph.h"
#include "wlab/layout.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WLAB_VERSION_STRING "0.1.0"

#ifdef __cplusplus
}
#endif

#endif
