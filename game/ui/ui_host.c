#include "ui_host.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "sim.h"

/* ---- values ---- */

void ui_host_default_name(const char *player, char *out, size_t cap)
{
    char name[UI_TEXT_MAX];
    snprintf(name, sizeof name, "%s's game", player);
    if (!proto_name_valid(name, strlen(name))) {
        /* Too long: the player's name alone, cut before a UTF-8
         * continuation byte. */
        size_t n = strlen(player);
        if (n > PROTO_NAME_MAX)
            n = PROTO_NAME_MAX;
        while (n > 0 && ((unsigned char)player[n] & 0xC0) == 0x80)
            n--;
        snprintf(name, sizeof name, "%.*s", (int)n, player);
        if (!proto_name_valid(name, strlen(name)))
            snprintf(name, sizeof name, "LAN Arena game");
    }
    snprintf(out, cap, "%s", name);
}

void ui_host_fill(ui_state *ui, const ui_host_values *v)
{
    ui_host_form *h = &ui->host;
    snprintf(h->game_name, sizeof h->game_name, "%s", v->game_name);
    snprintf(h->port, sizeof h->port, "%u", v->port);
    snprintf(h->max_players, sizeof h->max_players, "%d", v->max_players);
    snprintf(h->bots, sizeof h->bots, "%d", v->bots);
    snprintf(h->score_limit, sizeof h->score_limit, "%d", v->score_limit);
    h->round_seconds = v->round_seconds;
    snprintf(ui->host_password, sizeof ui->host_password, "%s", v->password);
    h->error[0] = '\0';
    h->error_field = -1;
}

void ui_host_open(ui_state *ui)
{
    ui_host_form *h = &ui->host;
    if (!h->game_name[0])
        ui_host_default_name(ui->name, h->game_name, sizeof h->game_name);
    h->selected = UI_HOST_NAME;
    h->show_password = false;
    h->error[0] = '\0';
    h->error_field = -1;
}

void ui_host_round_label(int seconds, char *out, size_t cap)
{
    if (seconds <= 0)
        snprintf(out, cap, "No time limit");
    else if (seconds % 60 == 0)
        snprintf(out, cap, "%d min", seconds / 60);
    else
        snprintf(out, cap, "%d s", seconds);
}

/* Digits only, within lo..hi. */
static bool ui_host_number(const char *text, long lo, long hi, long *out)
{
    if (!text[0] || strspn(text, "0123456789") != strlen(text))
        return false;
    errno = 0;
    long v = strtol(text, NULL, 10);
    if (errno || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static bool ui_host_wrong(ui_state *ui, int field, const char *why)
{
    ui_host_form *h = &ui->host;
    snprintf(h->error, sizeof h->error, "%s", why);
    h->error_field = field;
    h->selected = field;
    return false;
}

bool ui_host_check(ui_state *ui, ui_host_values *out)
{
    ui_host_form *h = &ui->host;
    char why[160];
    long port, players, bots, score;
    memset(out, 0, sizeof *out);
    if (!proto_name_valid(h->game_name, strlen(h->game_name))) {
        snprintf(why, sizeof why, "A game name is 1 to %d letters, not only spaces.", PROTO_NAME_MAX);
        return ui_host_wrong(ui, UI_HOST_NAME, why);
    }
    if (!ui_host_number(h->port, UI_HOST_PORT_MIN, 65535, &port)) {
        snprintf(why, sizeof why, "The port must be a number from %d to 65535.", UI_HOST_PORT_MIN);
        return ui_host_wrong(ui, UI_HOST_PORT, why);
    }
    if (!ui_host_number(h->max_players, UI_HOST_PLAYERS_MIN, PROTO_MAX_PLAYERS, &players)) {
        snprintf(why, sizeof why, "Max players must be a number from %d to %d.", UI_HOST_PLAYERS_MIN,
                 PROTO_MAX_PLAYERS);
        return ui_host_wrong(ui, UI_HOST_MAX_PLAYERS, why);
    }
    if (!ui_host_number(h->bots, 0, players - 1, &bots)) {
        snprintf(why, sizeof why, "Bots must be from 0 to %ld: you take one of the %ld places.", players - 1,
                 players);
        return ui_host_wrong(ui, UI_HOST_BOTS, why);
    }
    if (bots > 0 && ui->host_password[0])
        return ui_host_wrong(ui, UI_HOST_BOTS, "Bots cannot join a game with a password: set 0 bots or no password.");
    if (h->round_seconds != 0 && (h->round_seconds < SIM_ROUND_SECONDS_MIN || h->round_seconds > SIM_ROUND_SECONDS_MAX))
        return ui_host_wrong(ui, UI_HOST_ROUND, "Choose a round length with Left and Right.");
    if (!ui_host_number(h->score_limit, 0, UI_HOST_SCORE_MAX, &score)) {
        snprintf(why, sizeof why, "The score limit must be a number from 0 (none) to %d.", UI_HOST_SCORE_MAX);
        return ui_host_wrong(ui, UI_HOST_SCORE, why);
    }
    if (strlen(ui->host_password) > PROTO_PASSWORD_MAX) {
        snprintf(why, sizeof why, "A password is at most %d bytes.", PROTO_PASSWORD_MAX);
        return ui_host_wrong(ui, UI_HOST_PASSWORD, why);
    }
    snprintf(out->game_name, sizeof out->game_name, "%s", h->game_name);
    out->port = (uint16_t)port;
    out->max_players = (int)players;
    out->bots = (int)bots;
    out->round_seconds = h->round_seconds;
    out->score_limit = (int)score;
    snprintf(out->password, sizeof out->password, "%s", ui->host_password);
    h->error[0] = '\0';
    h->error_field = -1;
    return true;
}

/* ---- editing ---- */

/* The text a field holds and how long it may be; NULL for the choice
 * and the button. */
static char *ui_host_text(ui_state *ui, int field, size_t *limit, bool *digits)
{
    ui_host_form *h = &ui->host;
    *digits = field != UI_HOST_NAME && field != UI_HOST_PASSWORD;
    *limit = 5;
    switch (field) {
    case UI_HOST_NAME:
        *limit = PROTO_NAME_MAX;
        return h->game_name;
    case UI_HOST_PORT:
        return h->port;
    case UI_HOST_MAX_PLAYERS:
        *limit = 3;
        return h->max_players;
    case UI_HOST_BOTS:
        *limit = 3;
        return h->bots;
    case UI_HOST_SCORE:
        return h->score_limit;
    case UI_HOST_PASSWORD:
        *limit = PROTO_PASSWORD_MAX;
        return ui->host_password;
    default:
        return NULL;
    }
}

/* Appends what was typed or pasted: printable bytes, digits only in the
 * number fields, within the field's limit in bytes. */
static void ui_host_type(ui_state *ui, const char *add)
{
    size_t limit;
    bool digits;
    char *text = ui_host_text(ui, ui->host.selected, &limit, &digits);
    if (!text)
        return;
    size_t n = strlen(text);
    for (const char *p = add; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c == 0x7F || (digits && (c < '0' || c > '9')))
            continue;
        if (n >= limit)
            break;
        text[n++] = *p;
    }
    text[n] = '\0';
    ui->host.error[0] = '\0';
    ui->host.error_field = -1;
}

static void ui_host_backspace(ui_state *ui)
{
    size_t limit;
    bool digits;
    char *text = ui_host_text(ui, ui->host.selected, &limit, &digits);
    if (!text)
        return;
    size_t n = strlen(text);
    while (n > 0) { /* the last UTF-8 character, not the last byte */
        n--;
        if (((unsigned char)text[n] & 0xC0) != 0x80)
            break;
    }
    text[n] = '\0';
    ui->host.error[0] = '\0';
    ui->host.error_field = -1;
}

/* The round lengths Left/Right walk: 1..30 minutes, then no time limit,
 * round and round. A length from the command line that is not in whole
 * minutes steps to the nearest minute on that side. */
static int ui_host_round_step(int seconds, int dir)
{
    int n = UI_HOST_ROUND_MINUTES_MAX + 1;
    int pos = seconds <= 0 ? UI_HOST_ROUND_MINUTES_MAX : seconds / 60 - 1;
    if (dir > 0 || seconds <= 0 || seconds % 60 == 0)
        pos += dir;
    pos = ((pos % n) + n) % n;
    return pos == UI_HOST_ROUND_MINUTES_MAX ? 0 : (pos + 1) * 60;
}

/* Left/Right on a number: one step (5 for the score limit), kept in the
 * field's range; a field that holds no number starts from its lowest. */
static void ui_host_step(ui_state *ui, int dir)
{
    ui_host_form *h = &ui->host;
    int field = h->selected;
    if (field == UI_HOST_ROUND) {
        h->round_seconds = ui_host_round_step(h->round_seconds, dir);
    } else {
        size_t limit;
        bool digits;
        char *text = ui_host_text(ui, field, &limit, &digits);
        if (!text || !digits)
            return;
        long players = 0;
        if (!ui_host_number(h->max_players, UI_HOST_PLAYERS_MIN, PROTO_MAX_PLAYERS, &players))
            players = PROTO_MAX_PLAYERS;
        long lo = field == UI_HOST_PORT ? UI_HOST_PORT_MIN : field == UI_HOST_MAX_PLAYERS ? UI_HOST_PLAYERS_MIN : 0;
        long hi = field == UI_HOST_PORT ? 65535
                  : field == UI_HOST_MAX_PLAYERS ? PROTO_MAX_PLAYERS
                  : field == UI_HOST_BOTS ? players - 1
                                          : UI_HOST_SCORE_MAX;
        long v;
        if (!ui_host_number(text, 0, 99999, &v))
            v = lo - (dir > 0 ? (field == UI_HOST_SCORE ? 5 : 1) : 0);
        v += dir * (field == UI_HOST_SCORE ? 5 : 1);
        v = v < lo ? lo : v > hi ? hi : v;
        char num[24];
        snprintf(num, sizeof num, "%ld", v);
        snprintf(text, 8, "%.7s", num);
    }
    h->error[0] = '\0';
    h->error_field = -1;
}

/* ---- layout ---- */

typedef struct {
    float x, y, w, h;
} ui_host_rect;

static float ui_host_line(const ui_frame *f)
{
    return render_font_height(RENDER_FONT_SMALL) + 6 * f->ui_scale;
}

/* Rows fill the room between the title and the footer, at most 46 px (at
 * scale) apart, keeping two small lines free: the error beside its field
 * and the focused field's help under the form. Rows below the field in
 * error move down a line to make room for it. */
static ui_host_rect ui_host_row(const ui_state *ui, const ui_frame *f, int i)
{
    float s = f->ui_scale, line = ui_host_line(f);
    float top = f->h * 0.14f + 128 * s, bottom = f->h - 40 * s - 2 * line;
    float pitch = (bottom - top) / UI_HOST_COUNT;
    if (pitch > 46 * s)
        pitch = 46 * s;
    float w = 560 * s;
    if (w > f->w - 20 * s)
        w = f->w - 20 * s;
    float y = top + i * pitch;
    if (ui->host.error[0] && ui->host.error_field >= 0 && i > ui->host.error_field)
        y += line;
    return (ui_host_rect){f->w * 0.5f - w / 2, y, w, pitch * 0.84f};
}

/* The password row's "show"/"hide" button, at its right end. */
static ui_host_rect ui_host_reveal_button(const ui_state *ui, const ui_frame *f)
{
    ui_host_rect r = ui_host_row(ui, f, UI_HOST_PASSWORD);
    float w = 96 * f->ui_scale;
    return (ui_host_rect){r.x + r.w - w - 6 * f->ui_scale, r.y + 4 * f->ui_scale, w, r.h - 8 * f->ui_scale};
}

static bool ui_host_hit(ui_host_rect r, float x, float y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

/* ---- events ---- */

static ui_action ui_host_start(ui_state *ui)
{
    ui_host_values v;
    return ui_host_check(ui, &v) ? UI_ACT_HOST : UI_ACT_NONE;
}

static ui_action ui_host_key(ui_state *ui, const SDL_Keysym *key, bool *back)
{
    ui_host_form *h = &ui->host;
    SDL_Keycode k = key->sym;
    bool shift = (key->mod & KMOD_SHIFT) != 0;
    if (k == SDLK_UP || (k == SDLK_TAB && shift))
        h->selected = (h->selected + UI_HOST_COUNT - 1) % UI_HOST_COUNT;
    else if (k == SDLK_DOWN || k == SDLK_TAB)
        h->selected = (h->selected + 1) % UI_HOST_COUNT;
    else if (k == SDLK_PAGEUP)
        h->selected = 0;
    else if (k == SDLK_PAGEDOWN)
        h->selected = UI_HOST_START;
    else if (k == SDLK_LEFT || k == SDLK_RIGHT)
        ui_host_step(ui, k == SDLK_LEFT ? -1 : 1);
    else if (k == SDLK_BACKSPACE)
        ui_host_backspace(ui);
    else if (k == SDLK_F2)
        h->show_password = !h->show_password;
    else if (k == SDLK_v && (key->mod & KMOD_CTRL)) {
        char *clip = SDL_GetClipboardText();
        if (clip) {
            ui_host_type(ui, clip);
            SDL_free(clip);
        }
    } else if (k == SDLK_RETURN || k == SDLK_KP_ENTER)
        return ui_host_start(ui);
    else if (k == SDLK_ESCAPE)
        *back = true;
    return UI_ACT_NONE;
}

ui_action ui_host_event(ui_state *ui, const SDL_Event *ev, const ui_frame *f, float mx, float my, bool *back)
{
    *back = false;
    if (ev->type == SDL_KEYDOWN)
        return ui_host_key(ui, &ev->key.keysym, back);
    if (ev->type == SDL_TEXTINPUT) {
        ui_host_type(ui, ev->text.text);
    } else if (ev->type == SDL_MOUSEBUTTONDOWN && ev->button.button == SDL_BUTTON_RIGHT) {
        *back = true;
    } else if (ev->type == SDL_MOUSEMOTION || ev->type == SDL_MOUSEBUTTONDOWN) {
        bool click = ev->type == SDL_MOUSEBUTTONDOWN && ev->button.button == SDL_BUTTON_LEFT;
        if (click && ui_host_hit(ui_host_reveal_button(ui, f), mx, my)) {
            ui->host.show_password = !ui->host.show_password;
            return UI_ACT_NONE;
        }
        for (int i = 0; i < UI_HOST_COUNT; i++) {
            if (ui_host_hit(ui_host_row(ui, f, i), mx, my)) {
                ui->host.selected = i;
                if (click && i == UI_HOST_START)
                    return ui_host_start(ui);
            }
        }
    }
    return UI_ACT_NONE;
}

/* ---- drawing ---- */

static const char *const ui_host_labels[UI_HOST_COUNT] = {
    "Game name", "Port", "Max players", "Bots", "Round length", "Score limit", "Password", "Start hosting",
};

static const char *const ui_host_help[UI_HOST_COUNT] = {
    "The name Find LAN games shows.",
    "Friends join YOUR-ADDRESS:PORT; the firewall must let TCP in on it.",
    "Everyone in the game: you, friends and bots.",
    "Computer players that join at once.",
    "Left/Right: 1 to 30 minutes, or no time limit.",
    "The first to this many points wins the round; 0: no limit.",
    "Empty: anyone may join. Never saved. F2 shows it.",
    "Enter on any field starts hosting too.",
};

/* What a field shows: the text typed (the password masked unless shown),
 * or the choice; a grey note after a 0 that means "none". */
static void ui_host_value(const ui_state *ui, int i, char *out, size_t cap, const char **note)
{
    const ui_host_form *h = &ui->host;
    *note = NULL;
    switch (i) {
    case UI_HOST_NAME:
        snprintf(out, cap, "%s", h->game_name);
        break;
    case UI_HOST_PORT:
        snprintf(out, cap, "%s", h->port);
        break;
    case UI_HOST_MAX_PLAYERS:
        snprintf(out, cap, "%s", h->max_players);
        break;
    case UI_HOST_BOTS:
        snprintf(out, cap, "%s", h->bots);
        *note = strcmp(h->bots, "0") == 0 ? "none" : NULL;
        break;
    case UI_HOST_ROUND:
        ui_host_round_label(h->round_seconds, out, cap);
        break;
    case UI_HOST_SCORE:
        snprintf(out, cap, "%s", h->score_limit);
        *note = strcmp(h->score_limit, "0") == 0 ? "no limit" : NULL;
        break;
    case UI_HOST_PASSWORD: {
        size_t n = 0;
        if (h->show_password)
            snprintf(out, cap, "%s", ui->host_password);
        else
            for (const char *p = ui->host_password; *p && n + 1 < cap; p++)
                if (((unsigned char)*p & 0xC0) != 0x80)
                    out[n++] = '*';
        if (!h->show_password)
            out[n] = '\0';
        *note = ui->host_password[0] ? NULL : "none: an open game";
        break;
    }
    default:
        out[0] = '\0';
        break;
    }
}

static void ui_host_draw_row(const ui_state *ui, const ui_frame *f, int i)
{
    const ui_host_form *h = &ui->host;
    float s = f->ui_scale, fh = render_font_height(RENDER_FONT_MEDIUM);
    ui_host_rect r = ui_host_row(ui, f, i);
    bool sel = i == h->selected, wrong = h->error[0] && i == h->error_field;
    float ty = r.y + (r.h - fh) / 2;
    if (i == UI_HOST_START) {
        float bw = r.w * 0.5f;
        render_rect(r.x + (r.w - bw) / 2, r.y, bw, r.h, sel ? 0x3FB86AFF : 0x2A6444FF);
        render_text(RENDER_FONT_MEDIUM, ui_host_labels[i], r.x + r.w / 2, ty, RENDER_ALIGN_CENTER, 0xFFFFFFFF);
        return;
    }
    if (wrong)
        render_rect(r.x - 3 * s, r.y - 3 * s, r.w + 6 * s, r.h + 6 * s, 0xFF6A5CFF);
    render_rect(r.x, r.y, r.w, r.h, sel ? 0x3F8FE8FF : 0x2A3644FF);
    render_text(RENDER_FONT_MEDIUM, ui_host_labels[i], r.x + 14 * s, ty, RENDER_ALIGN_LEFT,
                wrong ? 0xFFB0A8FF : sel ? 0xFFFFFFFF : 0xC8D0D8FF);
    char value[UI_TEXT_MAX];
    const char *note;
    ui_host_value(ui, i, value, sizeof value, &note);
    float vx = r.x + 200 * s;
    bool steps = i != UI_HOST_NAME && i != UI_HOST_PASSWORD;
    if (sel && steps)
        render_text(RENDER_FONT_MEDIUM, "<", vx - 24 * s, ty, RENDER_ALIGN_LEFT, 0xFFFFFFA0);
    float tw = render_text(RENDER_FONT_MEDIUM, value, vx, ty, RENDER_ALIGN_LEFT, 0xFFFFFFFF);
    bool typed = i != UI_HOST_ROUND;
    if (sel && typed && (f->now_us / 500000) % 2 == 0) /* blinking caret */
        render_rect(vx + tw + 2 * s, r.y + 8 * s, 2 * s, r.h - 16 * s, 0xFFFFFFFF);
    if (sel && steps)
        render_text(RENDER_FONT_MEDIUM, ">", vx + tw + 12 * s, ty, RENDER_ALIGN_LEFT, 0xFFFFFFA0);
    if (note)
        render_text(RENDER_FONT_SMALL, note, vx + tw + (sel && steps ? 34 : 12) * s,
                    r.y + (r.h - render_font_height(RENDER_FONT_SMALL)) / 2, RENDER_ALIGN_LEFT, 0xB8C4D0FF);
    if (i == UI_HOST_PASSWORD) {
        ui_host_rect b = ui_host_reveal_button(ui, f);
        render_rect(b.x, b.y, b.w, b.h, 0x1B2430FF);
        render_text(RENDER_FONT_SMALL, h->show_password ? "F2: hide" : "F2: show", b.x + b.w / 2,
                    b.y + (b.h - render_font_height(RENDER_FONT_SMALL)) / 2, RENDER_ALIGN_CENTER, 0xC8D0D8FF);
    }
}

void ui_host_draw(const ui_state *ui, const ui_frame *f)
{
    const ui_host_form *h = &ui->host;
    float s = f->ui_scale, line = ui_host_line(f);
    ui_host_rect first = ui_host_row(ui, f, 0);
    render_text(RENDER_FONT_MEDIUM, "Host a game", f->w * 0.5f, first.y - render_font_height(RENDER_FONT_MEDIUM) - 10 * s,
                RENDER_ALIGN_CENTER, 0xFFFFFFFF);
    for (int i = 0; i < UI_HOST_COUNT; i++)
        ui_host_draw_row(ui, f, i);
    if (h->error[0] && h->error_field >= 0) {
        ui_host_rect r = ui_host_row(ui, f, h->error_field);
        render_text(RENDER_FONT_SMALL, h->error, r.x + r.w / 2, r.y + r.h + 4 * s, RENDER_ALIGN_CENTER, 0xFF6A5CFF);
    }
    ui_host_rect last = ui_host_row(ui, f, UI_HOST_START);
    if (h->selected >= 0 && h->selected < UI_HOST_COUNT)
        render_text(RENDER_FONT_SMALL, ui_host_help[h->selected], f->w * 0.5f, last.y + last.h + line * 0.4f,
                    RENDER_ALIGN_CENTER, 0x8C98A4FF);
    render_text(RENDER_FONT_SMALL, "Up/Down: field   Left/Right: change   Enter: start hosting   Esc: back",
                f->w * 0.5f, f->h - 30 * s, RENDER_ALIGN_CENTER, 0x8C98A4FF);
}
