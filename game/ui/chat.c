#include "chat.h"

#include <stdio.h>
#include <string.h>

#include "render.h"

/* ---- the log ---- */

void chat_log_clear(chat_log *log)
{
    memset(log, 0, sizeof *log);
}

void chat_log_add(chat_log *log, const char *name, uint32_t rgba, const char *text, uint64_t now_us)
{
    chat_line *l = &log->lines[log->next];
    snprintf(l->name, sizeof l->name, "%s", name ? name : "");
    snprintf(l->text, sizeof l->text, "%s", text ? text : "");
    l->rgba = rgba;
    l->at_us = now_us;
    log->next = (log->next + 1) % CHAT_LOG_MAX;
    if (log->count < CHAT_LOG_MAX)
        log->count++;
}

float chat_log_alpha(uint64_t at_us, uint64_t now_us, bool input_open)
{
    if (input_open)
        return 1.0f;
    uint64_t age = now_us > at_us ? now_us - at_us : 0;
    if (age >= CHAT_SHOW_US)
        return 0.0f;
    if (age <= CHAT_SHOW_US - CHAT_FADE_US)
        return 1.0f;
    return (float)(CHAT_SHOW_US - age) / (float)CHAT_FADE_US;
}

int chat_log_visible(const chat_log *log, uint64_t now_us, bool input_open, const chat_line **out, int max)
{
    if (max > CHAT_LINES)
        max = CHAT_LINES;
    /* Walk back from the newest; lines are in arrival order, so the first
     * one too old ends the walk. */
    const chat_line *pick[CHAT_LINES];
    int n = 0;
    for (int k = 0; k < log->count && n < max; k++) {
        const chat_line *l = &log->lines[(log->next - 1 - k + CHAT_LOG_MAX) % CHAT_LOG_MAX];
        if (chat_log_alpha(l->at_us, now_us, input_open) <= 0.0f)
            break;
        pick[n++] = l;
    }
    for (int i = 0; i < n; i++)
        out[i] = pick[n - 1 - i];
    return n;
}

/* ---- the line being typed ---- */

void chat_input_init(chat_input *in)
{
    memset(in, 0, sizeof *in);
}

/* Length of the UTF-8 sequence that starts with byte b (1 for a stray
 * continuation byte, which proto_chat_valid refuses later anyway). */
static size_t chat_utf8_len(unsigned char b)
{
    if (b >= 0xF0)
        return 4;
    if (b >= 0xE0)
        return 3;
    if (b >= 0xC0)
        return 2;
    return 1;
}

void chat_input_append(chat_input *in, const char *utf8)
{
    size_t n = strlen(in->text);
    for (const unsigned char *p = (const unsigned char *)utf8; *p;) {
        size_t k = chat_utf8_len(*p);
        if (*p < 0x20 || *p == 0x7F) {
            p++;
            continue;
        }
        if (strnlen((const char *)p, k) < k || n + k > PROTO_CHAT_MAX)
            break; /* a cut character, or no room for a whole one */
        memcpy(in->text + n, p, k);
        n += k;
        p += k;
    }
    in->text[n] = '\0';
}

static void chat_input_backspace(chat_input *in)
{
    size_t n = strlen(in->text);
    while (n > 0) {
        n--;
        if (((unsigned char)in->text[n] & 0xC0) != 0x80)
            break;
    }
    in->text[n] = '\0';
}

chat_input_result chat_input_event(chat_input *in, const SDL_Event *ev)
{
    if (!in->open) {
        if (ev->type != SDL_KEYDOWN || ev->key.repeat)
            return CHAT_IN_IGNORED;
        SDL_Keycode k = ev->key.keysym.sym;
        if (k != SDLK_RETURN && k != SDLK_KP_ENTER && k != SDLK_t)
            return CHAT_IN_IGNORED;
        in->open = true;
        in->text[0] = '\0';
        in->opened_ts = ev->key.timestamp;
        in->opened_by_t = k == SDLK_t;
        return CHAT_IN_OPENED;
    }
    if (ev->type == SDL_TEXTINPUT) {
        /* The T that opened the line may also arrive as text, in the same
         * event batch; it is not part of the message. */
        if (in->opened_by_t && in->text[0] == '\0' && ev->text.timestamp - in->opened_ts < 50 &&
            (strcmp(ev->text.text, "t") == 0 || strcmp(ev->text.text, "T") == 0)) {
            in->opened_by_t = false;
            return CHAT_IN_CONSUMED;
        }
        in->opened_by_t = false;
        chat_input_append(in, ev->text.text);
        return CHAT_IN_CONSUMED;
    }
    if (ev->type != SDL_KEYDOWN)
        return ev->type == SDL_KEYUP || ev->type == SDL_TEXTEDITING ? CHAT_IN_CONSUMED : CHAT_IN_IGNORED;
    SDL_Keycode k = ev->key.keysym.sym;
    if (k == SDLK_ESCAPE) {
        in->open = false;
        in->text[0] = '\0';
        return CHAT_IN_CANCELLED;
    }
    if (k == SDLK_RETURN || k == SDLK_KP_ENTER) {
        in->open = false;
        if (!proto_chat_valid(in->text, strlen(in->text))) {
            in->text[0] = '\0';
            return CHAT_IN_CANCELLED; /* nothing (or only spaces) to say */
        }
        return CHAT_IN_SEND;
    }
    if (k == SDLK_BACKSPACE) {
        chat_input_backspace(in);
    } else if (k == SDLK_v && (ev->key.keysym.mod & KMOD_CTRL)) {
        char *clip = SDL_GetClipboardText();
        if (clip) {
            chat_input_append(in, clip);
            SDL_free(clip);
        }
    }
    return CHAT_IN_CONSUMED; /* every other key belongs to the line while it is open */
}

/* ---- drawing ---- */

static uint32_t chat_fade(uint32_t rgba, float alpha)
{
    uint32_t a = (uint32_t)((float)(rgba & 0xFF) * alpha + 0.5f);
    return (rgba & 0xFFFFFF00u) | (a > 255 ? 255 : a);
}

void chat_draw(const chat_log *log, const chat_input *in, int w, int h, float ui_scale, uint64_t now_us)
{
    float s = ui_scale, lh = render_font_height(RENDER_FONT_SMALL) + 4 * s;
    float x = 12 * s, y = (float)h - 56 * s;
    bool open = in && in->open;
    if (open) {
        char line[PROTO_CHAT_MAX + 32];
        bool caret = (now_us / 500000) % 2 == 0;
        snprintf(line, sizeof line, "Say: %s%s", in->text, caret ? "_" : "");
        float tw = render_text_width(RENDER_FONT_SMALL, "Say: ") + render_text_width(RENDER_FONT_SMALL, in->text);
        float bw = tw + 40 * s > (float)w * 0.5f ? tw + 40 * s : (float)w * 0.5f;
        render_rect(x - 6 * s, y - 3 * s, bw, lh + 2 * s, 0x000000B0);
        render_text(RENDER_FONT_SMALL, line, x, y, RENDER_ALIGN_LEFT, 0xFFFFFFFF);
        y -= lh + 6 * s;
    }
    const chat_line *vis[CHAT_LINES];
    int n = chat_log_visible(log, now_us, open, vis, CHAT_LINES);
    for (int i = n - 1; i >= 0; i--, y -= lh) {
        const chat_line *l = vis[i];
        float a = chat_log_alpha(l->at_us, now_us, open);
        char who[PROTO_NAME_WIRE_MAX + 4];
        snprintf(who, sizeof who, "%s: ", l->name[0] ? l->name : "Host");
        float ww = render_text_width(RENDER_FONT_SMALL, who), tw = render_text_width(RENDER_FONT_SMALL, l->text);
        render_rect(x - 6 * s, y - 2 * s, ww + tw + 12 * s, lh, chat_fade(0x00000090, a));
        render_text(RENDER_FONT_SMALL, who, x, y, RENDER_ALIGN_LEFT, chat_fade(l->name[0] ? l->rgba : 0xF2E6A0FF, a));
        render_text(RENDER_FONT_SMALL, l->text, x + ww, y, RENDER_ALIGN_LEFT,
                    chat_fade(l->name[0] ? 0xFFFFFFFF : 0xF2E6A0FF, a));
    }
}
