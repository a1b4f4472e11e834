#include "ui.h"

#include <stdio.h>
#include <string.h>

#include "proto.h"
#include "render.h"

void ui_init(ui_state *ui, const char *name, uint16_t default_port)
{
    memset(ui, 0, sizeof *ui);
    snprintf(ui->name, sizeof ui->name, "%s", name);
    ui->default_port = default_port;
}

void ui_show(ui_state *ui, ui_screen screen)
{
    ui->screen = screen;
    bool text = screen == UI_JOIN || screen == UI_NAME;
    if (text)
        SDL_StartTextInput();
    else
        SDL_StopTextInput();
    if (screen == UI_NAME)
        snprintf(ui->name_text, sizeof ui->name_text, "%s", ui->name);
}

/* Layout shared by drawing and mouse hit-tests. */
typedef struct {
    float x, y, w, h;
} ui_rect;

static ui_rect ui_main_item(const ui_frame *f, int i)
{
    float s = f->ui_scale;
    ui_rect r = {f->w * 0.5f - 170 * s, f->h * 0.38f + i * 62 * s, 340 * s, 50 * s};
    return r;
}

static ui_rect ui_cancel_button(const ui_frame *f)
{
    float s = f->ui_scale;
    ui_rect r = {f->w * 0.5f - 90 * s, f->h * 0.58f, 180 * s, 48 * s};
    return r;
}

static bool ui_hit(ui_rect r, float x, float y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

/* Removes the last UTF-8 character, not just the last byte. */
static void ui_backspace(char *text)
{
    size_t n = strlen(text);
    while (n > 0) {
        n--;
        if (((unsigned char)text[n] & 0xC0) != 0x80)
            break;
    }
    text[n] = '\0';
}

static void ui_append(char *text, size_t cap, const char *add, size_t limit)
{
    size_t n = strlen(text);
    for (const char *p = add; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c == 0x7F)
            continue; /* paste may carry newlines and tabs */
        if (n + 1 >= cap || n >= limit)
            break;
        text[n++] = *p;
    }
    text[n] = '\0';
}

static ui_action ui_activate_main(ui_state *ui, int item)
{
    ui->notice[0] = '\0';
    switch (item) {
    case UI_MAIN_HOST:
        return UI_ACT_HOST;
    case UI_MAIN_JOIN:
        ui->error[0] = '\0';
        ui_show(ui, UI_JOIN);
        return UI_ACT_NONE;
    case UI_MAIN_NAME:
        ui->error[0] = '\0';
        ui_show(ui, UI_NAME);
        return UI_ACT_NONE;
    default:
        return UI_ACT_QUIT;
    }
}

static ui_action ui_text_event(ui_state *ui, const SDL_Event *ev)
{
    bool join = ui->screen == UI_JOIN;
    char *text = join ? ui->join_text : ui->name_text;
    size_t limit = join ? UI_TEXT_MAX - 1 : PROTO_NAME_MAX;
    if (ev->type == SDL_TEXTINPUT) {
        ui_append(text, UI_TEXT_MAX, ev->text.text, limit);
        return UI_ACT_NONE;
    }
    if (ev->type != SDL_KEYDOWN)
        return UI_ACT_NONE;
    SDL_Keycode k = ev->key.keysym.sym;
    if (k == SDLK_BACKSPACE) {
        ui_backspace(text);
    } else if (k == SDLK_v && (ev->key.keysym.mod & KMOD_CTRL)) {
        char *clip = SDL_GetClipboardText();
        if (clip) {
            ui_append(text, UI_TEXT_MAX, clip, limit);
            SDL_free(clip);
        }
    } else if (k == SDLK_ESCAPE) {
        ui->error[0] = '\0';
        ui_show(ui, UI_MAIN);
    } else if (k == SDLK_RETURN || k == SDLK_KP_ENTER) {
        if (join)
            return UI_ACT_JOIN;
        if (!proto_name_valid(ui->name_text, strlen(ui->name_text))) {
            snprintf(ui->error, sizeof ui->error, "A name is 1 to %d characters, not only spaces.", PROTO_NAME_MAX);
            return UI_ACT_NONE;
        }
        snprintf(ui->name, sizeof ui->name, "%s", ui->name_text);
        ui->error[0] = '\0';
        ui_show(ui, UI_MAIN);
    }
    return UI_ACT_NONE;
}

ui_action ui_event(ui_state *ui, const SDL_Event *ev, const ui_frame *f)
{
    float mx = 0, my = 0;
    if (ev->type == SDL_MOUSEMOTION) {
        mx = ev->motion.x * f->scale;
        my = ev->motion.y * f->scale;
    } else if (ev->type == SDL_MOUSEBUTTONDOWN) {
        mx = ev->button.x * f->scale;
        my = ev->button.y * f->scale;
    }

    switch (ui->screen) {
    case UI_MAIN:
        if (ev->type == SDL_KEYDOWN) {
            SDL_Keycode k = ev->key.keysym.sym;
            if (k == SDLK_UP || k == SDLK_w)
                ui->selected = (ui->selected + UI_MAIN_COUNT - 1) % UI_MAIN_COUNT;
            else if (k == SDLK_DOWN || k == SDLK_s || k == SDLK_TAB)
                ui->selected = (ui->selected + 1) % UI_MAIN_COUNT;
            else if (k == SDLK_RETURN || k == SDLK_KP_ENTER || k == SDLK_SPACE)
                return ui_activate_main(ui, ui->selected);
            else if (k == SDLK_ESCAPE)
                return UI_ACT_QUIT;
        } else if (ev->type == SDL_MOUSEMOTION || ev->type == SDL_MOUSEBUTTONDOWN) {
            for (int i = 0; i < UI_MAIN_COUNT; i++) {
                if (ui_hit(ui_main_item(f, i), mx, my)) {
                    ui->selected = i;
                    if (ev->type == SDL_MOUSEBUTTONDOWN && ev->button.button == SDL_BUTTON_LEFT)
                        return ui_activate_main(ui, i);
                }
            }
        }
        return UI_ACT_NONE;
    case UI_JOIN:
    case UI_NAME:
        if (ev->type == SDL_MOUSEBUTTONDOWN && ev->button.button == SDL_BUTTON_RIGHT) {
            ui_show(ui, UI_MAIN);
            return UI_ACT_NONE;
        }
        return ui_text_event(ui, ev);
    case UI_CONNECTING:
        if (ev->type == SDL_KEYDOWN && ev->key.keysym.sym == SDLK_ESCAPE)
            return UI_ACT_CANCEL;
        if (ev->type == SDL_MOUSEMOTION)
            ui->hover_cancel = ui_hit(ui_cancel_button(f), mx, my);
        if (ev->type == SDL_MOUSEBUTTONDOWN && ui_hit(ui_cancel_button(f), mx, my))
            return UI_ACT_CANCEL;
        if (ev->type == SDL_KEYDOWN && (ev->key.keysym.sym == SDLK_RETURN || ev->key.keysym.sym == SDLK_KP_ENTER))
            return UI_ACT_CANCEL; /* the only button on screen */
        return UI_ACT_NONE;
    case UI_GAME:
        if (ev->type == SDL_KEYDOWN && ev->key.keysym.sym == SDLK_ESCAPE)
            return UI_ACT_LEAVE;
        return UI_ACT_NONE;
    }
    return UI_ACT_NONE;
}

static void ui_background(const ui_frame *f)
{
    /* A few drifting gems so the menu feels alive. */
    float s = f->ui_scale;
    render_rect(0, 0, (float)f->w, (float)f->h, 0x1B2430FF);
    for (int i = 0; i < 12; i++) {
        float t = (float)(f->now_us % 20000000) / 20000000.0f;
        float x = (float)((i * 173 + (int)(t * f->w * (1 + i % 3))) % (f->w + 64)) - 32;
        float y = (float)((i * 97) % (f->h > 1 ? f->h : 1));
        render_sprite(i % 2 ? RENDER_SPR_GEM1 : RENDER_SPR_GEM2, x, y, 32 * s, false, 0xFFFFFF50);
    }
    render_text(RENDER_FONT_LARGE, "LAN Arena", f->w * 0.5f, f->h * 0.14f, RENDER_ALIGN_CENTER, 0xF2E6A0FF);
    render_text(RENDER_FONT_SMALL, "gems, friends, one network", f->w * 0.5f, f->h * 0.14f + 58 * s,
                RENDER_ALIGN_CENTER, 0x8C98A4FF);
}

static void ui_draw_main(const ui_state *ui, const ui_frame *f)
{
    static const char *labels[UI_MAIN_COUNT] = {"Host game", "Join game", NULL, "Quit"};
    float s = f->ui_scale;
    for (int i = 0; i < UI_MAIN_COUNT; i++) {
        ui_rect r = ui_main_item(f, i);
        bool sel = i == ui->selected;
        render_rect(r.x, r.y, r.w, r.h, sel ? 0x3F8FE8FF : 0x2A3644FF);
        char label[UI_TEXT_MAX + 16];
        if (labels[i])
            snprintf(label, sizeof label, "%s", labels[i]);
        else
            snprintf(label, sizeof label, "Name: %s", ui->name);
        render_text(RENDER_FONT_MEDIUM, label, r.x + r.w / 2, r.y + (r.h - render_font_height(RENDER_FONT_MEDIUM)) / 2,
                    RENDER_ALIGN_CENTER, sel ? 0xFFFFFFFF : 0xC8D0D8FF);
    }
    if (ui->notice[0]) {
        ui_rect last = ui_main_item(f, UI_MAIN_COUNT - 1);
        float y = last.y + last.h + 24 * s;
        float w = render_text_width(RENDER_FONT_MEDIUM, ui->notice);
        render_rect(f->w * 0.5f - w / 2 - 14 * s, y - 6 * s, w + 28 * s, render_font_height(RENDER_FONT_MEDIUM) + 12 * s,
                    0x5A2A2AE0);
        render_text(RENDER_FONT_MEDIUM, ui->notice, f->w * 0.5f, y, RENDER_ALIGN_CENTER, 0xFFE0E0FF);
    }
    render_text(RENDER_FONT_SMALL, "Arrows + Enter or the mouse.  Esc quits.", f->w * 0.5f, f->h - 30 * s,
                RENDER_ALIGN_CENTER, 0x8C98A4FF);
}

static void ui_draw_field(const ui_frame *f, const char *title, const char *text, const char *hint,
                          const char *error)
{
    float s = f->ui_scale;
    float y = f->h * 0.36f;
    render_text(RENDER_FONT_MEDIUM, title, f->w * 0.5f, y, RENDER_ALIGN_CENTER, 0xFFFFFFFF);
    y += 40 * s;
    float bw = 460 * s, bh = 46 * s;
    render_rect(f->w * 0.5f - bw / 2, y, bw, bh, 0x0E1319FF);
    render_rect(f->w * 0.5f - bw / 2, y + bh - 3 * s, bw, 3 * s, 0x3F8FE8FF);
    float tw = render_text(RENDER_FONT_MEDIUM, text, f->w * 0.5f - bw / 2 + 12 * s,
                           y + (bh - render_font_height(RENDER_FONT_MEDIUM)) / 2, RENDER_ALIGN_LEFT, 0xFFFFFFFF);
    if ((f->now_us / 500000) % 2 == 0) /* blinking caret */
        render_rect(f->w * 0.5f - bw / 2 + 14 * s + tw, y + 10 * s, 2 * s, bh - 20 * s, 0xFFFFFFFF);
    y += bh + 16 * s;
    render_text(RENDER_FONT_SMALL, hint, f->w * 0.5f, y, RENDER_ALIGN_CENTER, 0x8C98A4FF);
    if (error && error[0])
        render_text(RENDER_FONT_MEDIUM, error, f->w * 0.5f, y + 34 * s, RENDER_ALIGN_CENTER, 0xFF6A5CFF);
}

void ui_draw(const ui_state *ui, const ui_frame *f)
{
    ui_background(f);
    char hint[160];
    switch (ui->screen) {
    case UI_MAIN:
        ui_draw_main(ui, f);
        break;
    case UI_JOIN:
        snprintf(hint, sizeof hint, "HOST[:PORT], e.g. 192.168.1.20:%u    Enter: connect   Ctrl+V: paste   Esc: back",
                 ui->default_port);
        ui_draw_field(f, "Join a game", ui->join_text, hint, ui->error);
        break;
    case UI_NAME:
        ui_draw_field(f, "Your name", ui->name_text, "Enter: save    Esc: back", ui->error);
        break;
    case UI_CONNECTING: {
        float s = f->ui_scale;
        static const char *dots[] = {"", ".", "..", "..."};
        char line[360];
        snprintf(line, sizeof line, "Connecting to %s%s", ui->connecting_to, dots[(f->now_us / 300000) % 4]);
        render_text(RENDER_FONT_MEDIUM, line, f->w * 0.5f, f->h * 0.45f, RENDER_ALIGN_CENTER, 0xFFFFFFFF);
        ui_rect r = ui_cancel_button(f);
        render_rect(r.x, r.y, r.w, r.h, ui->hover_cancel ? 0x3F8FE8FF : 0x2A3644FF);
        render_text(RENDER_FONT_MEDIUM, "Cancel", r.x + r.w / 2, r.y + (r.h - render_font_height(RENDER_FONT_MEDIUM)) / 2,
                    RENDER_ALIGN_CENTER, 0xFFFFFFFF);
        render_text(RENDER_FONT_SMALL, "Esc or Enter cancels", f->w * 0.5f, r.y + r.h + 14 * s, RENDER_ALIGN_CENTER,
                    0x8C98A4FF);
        break;
    }
    case UI_GAME:
        break;
    }
}
