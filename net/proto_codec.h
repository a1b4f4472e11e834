/*
 * proto_codec: the row functions of proto.c's message table that live in
 * other files of net/ (proto_snapshot.c). Internal to the codec; the
 * protocol's interface is proto.h.
 *
 * Threading contract: pure functions; any thread.
 */
#ifndef LANARENA_PROTO_CODEC_H
#define LANARENA_PROTO_CODEC_H

#include "proto.h"
#include "wire.h"

/* SNAPSHOT */
const char *proto_snapshot_fault(const proto_msg *m);
void proto_snapshot_write(wire_writer *w, const proto_msg *m);
proto_error proto_snapshot_read(wire_reader *r, proto_msg *m);

/* SNAPSHOT_DELTA */
const char *proto_delta_fault(const proto_msg *m);
void proto_delta_write(wire_writer *w, const proto_msg *m);
proto_error proto_delta_read(wire_reader *r, proto_msg *m);

#endif
