#include "stats.h"

#include <stdlib.h>
#include <string.h>

#include "safefile.h"

void stats_frames_add(stats_frames *f, float ms)
{
    if (f->count < STATS_FRAME_WINDOW)
        f->samples[f->count++] = ms;
}

static int stats_cmp(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

void stats_frames_take(stats_frames *f, float *p50, float *p99)
{
    *p50 = *p99 = 0;
    if (f->count > 0) {
        qsort(f->samples, (size_t)f->count, sizeof f->samples[0], stats_cmp);
        *p50 = f->samples[f->count / 2];
        int i99 = (f->count * 99) / 100;
        *p99 = f->samples[i99 < f->count ? i99 : f->count - 1];
    }
    f->count = 0;
}

FILE *stats_open(const char *path, char *err, size_t err_cap)
{
    FILE *f = safefile_open(path, "a", err, err_cap);
    if (f)
        setvbuf(f, NULL, _IOLBF, 0); /* a reader tailing the file sees whole lines */
    return f;
}

void stats_write(FILE *f, const stats_line *l)
{
    if (!f)
        return;
    fprintf(f,
            "{\"t\":%.3f,\"role\":\"%s\",\"players\":%d,\"tick\":%u,\"snapshot_hz\":%.2f,"
            "\"rtt_ms\":%.3f,\"bytes_in_per_s\":%.1f,\"bytes_out_per_s\":%.1f,"
            "\"frame_ms_p50\":%.3f,\"frame_ms_p99\":%.3f",
            l->t, l->role, l->players, l->tick, l->snapshot_hz, l->rtt_ms, l->bytes_in_per_s,
            l->bytes_out_per_s, l->frame_ms_p50, l->frame_ms_p99);
    if (strcmp(l->role, "client") == 0)
        fprintf(f,
                ",\"interp_delay_ms\":%.2f,\"jitter_ms\":%.2f,\"pred_corrections_per_s\":%.2f,"
                "\"extrapolating_ms_per_s\":%.1f,\"pred_mismatches\":%u",
                l->interp_delay_ms, l->jitter_ms, l->pred_corrections_per_s, l->extrapolating_ms_per_s,
                l->pred_mismatches);
    if (strcmp(l->role, "client") == 0) {
        /* A typed host name could hold anything; JSON gets only safe bytes. */
        char addr[300];
        size_t n = 0;
        for (const char *p = l->host_addr ? l->host_addr : ""; *p && n + 1 < sizeof addr; p++)
            addr[n++] = (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20) ? '?' : *p;
        addr[n] = '\0';
        fprintf(f, ",\"host_addr\":\"%s\",\"my_score\":%d,\"link\":\"%s\",\"hosting\":%d,\"migrations\":%u", addr,
                l->my_score, l->link ? l->link : "ok", l->hosting ? 1 : 0, l->migrations);
    } else {
        fprintf(f, ",\"phase\":\"%s\",\"round\":%u,\"round_left_s\":%u", l->phase ? l->phase : "warmup",
                l->round, l->round_left_s);
    }
    fputs("}\n", f);
    fflush(f);
}
