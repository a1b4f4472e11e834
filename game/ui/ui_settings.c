#include "ui_settings.h"

#include <stdio.h>

#include "draw.h"
#include "proto.h"
#include "render.h"

static const char *const ui_settings_colours[PROTO_COLOURS] = {
    "Red",    "Blue",   "Green", "Yellow", "Purple", "Teal", "Orange", "Pink",
    "Lime",   "Indigo", "Silver", "Brown", "Jade",   "Rose", "Sky",    "Sand",
};

/* The Network choices, in the order Left/Right walk them. */
static const int ui_settings_rates[] = {0, 60, 30};

const char *ui_settings_network_name(int snapshot_hz)
{
    switch (snapshot_hz) {
    case 60:
        return "LAN (60 updates/s)";
    case 30:
        return "Wi-Fi (30 updates/s)";
    default:
        return "Auto (fits the link)";
    }
}

const char *ui_settings_colour_name(int colour)
{
    if (colour < 0 || colour >= PROTO_COLOURS)
        return "Host chooses";
    return ui_settings_colours[colour];
}

typedef struct {
    float x, y, w, h;
} ui_settings_rect;

static ui_settings_rect ui_settings_row(const ui_frame *f, int i)
{
    float s = f->ui_scale;
    return (ui_settings_rect){f->w * 0.5f - 230 * s, f->h * 0.22f + i * 50 * s, 460 * s, 42 * s};
}

/* Changes item i by dir (-1, +1; 0 is Enter). */
static ui_action ui_settings_change(ui_state *ui, int i, int dir, ui_settings_go *go)
{
    switch (i) {
    case UI_SET_NAME:
        if (dir != 0)
            return UI_ACT_NONE;
        ui->error[0] = '\0';
        *go = UI_SETTINGS_EDIT_NAME;
        return UI_ACT_NONE;
    case UI_SET_COLOUR: {
        /* -1 (host chooses), 0..15, round and round. */
        int n = PROTO_COLOURS + 1;
        int c = ui->colour + 1 + (dir < 0 ? n - 1 : 1);
        ui->colour = c % n - 1;
        return UI_ACT_SETTINGS;
    }
    case UI_SET_FULLSCREEN:
        ui->fullscreen = !ui->fullscreen;
        return UI_ACT_SETTINGS;
    case UI_SET_VSYNC:
        ui->vsync = !ui->vsync;
        return UI_ACT_SETTINGS;
    case UI_SET_NETGRAPH:
        ui->show_graph = !ui->show_graph;
        return UI_ACT_SETTINGS;
    case UI_SET_NETWORK: {
        int n = (int)(sizeof ui_settings_rates / sizeof ui_settings_rates[0]), at = 0;
        for (int k = 0; k < n; k++)
            if (ui_settings_rates[k] == ui->snapshot_hz)
                at = k;
        ui->snapshot_hz = ui_settings_rates[(at + (dir < 0 ? n - 1 : 1)) % n];
        return UI_ACT_SETTINGS;
    }
    case UI_SET_VOLUME:
        /* Left/right step by 10; Enter goes round. */
        ui->volume += dir < 0 ? -10 : 10;
        if (dir == 0 && ui->volume > 100)
            ui->volume = 0;
        ui->volume = ui->volume < 0 ? 0 : ui->volume > 100 ? 100 : ui->volume;
        return UI_ACT_SETTINGS;
    case UI_SET_MUTE:
        ui->mute = !ui->mute;
        return UI_ACT_SETTINGS;
    default:
        if (dir == 0)
            *go = UI_SETTINGS_BACK;
        return UI_ACT_NONE;
    }
}

ui_action ui_settings_event(ui_state *ui, const SDL_Event *ev, const ui_frame *f, float mx, float my,
                            ui_settings_go *go)
{
    *go = UI_SETTINGS_STAY;
    if (ev->type == SDL_KEYDOWN) {
        SDL_Keycode k = ev->key.keysym.sym;
        if (k == SDLK_UP || k == SDLK_w)
            ui->settings_selected = (ui->settings_selected + UI_SET_COUNT - 1) % UI_SET_COUNT;
        else if (k == SDLK_DOWN || k == SDLK_s || k == SDLK_TAB)
            ui->settings_selected = (ui->settings_selected + 1) % UI_SET_COUNT;
        else if (k == SDLK_HOME)
            ui->settings_selected = 0;
        else if (k == SDLK_END)
            ui->settings_selected = UI_SET_COUNT - 1;
        else if (k == SDLK_LEFT || k == SDLK_a)
            return ui_settings_change(ui, ui->settings_selected, -1, go);
        else if (k == SDLK_RIGHT || k == SDLK_d)
            return ui_settings_change(ui, ui->settings_selected, +1, go);
        else if (k == SDLK_RETURN || k == SDLK_KP_ENTER || k == SDLK_SPACE)
            return ui_settings_change(ui, ui->settings_selected, 0, go);
        else if (k == SDLK_ESCAPE)
            *go = UI_SETTINGS_BACK;
    } else if (ev->type == SDL_MOUSEBUTTONDOWN && ev->button.button == SDL_BUTTON_RIGHT) {
        *go = UI_SETTINGS_BACK;
    } else if (ev->type == SDL_MOUSEMOTION || ev->type == SDL_MOUSEBUTTONDOWN) {
        for (int i = 0; i < UI_SET_COUNT; i++) {
            ui_settings_rect r = ui_settings_row(f, i);
            if (mx >= r.x && my >= r.y && mx < r.x + r.w && my < r.y + r.h) {
                ui->settings_selected = i;
                if (ev->type == SDL_MOUSEBUTTONDOWN && ev->button.button == SDL_BUTTON_LEFT)
                    return ui_settings_change(ui, i, 0, go);
            }
        }
    }
    return UI_ACT_NONE;
}

void ui_settings_draw(const ui_state *ui, const ui_frame *f)
{
    float s = f->ui_scale;
    render_text(RENDER_FONT_MEDIUM, "Settings", f->w * 0.5f, ui_settings_row(f, 0).y - 44 * s, RENDER_ALIGN_CENTER,
                0xFFFFFFFF);
    for (int i = 0; i < UI_SET_COUNT; i++) {
        ui_settings_rect r = ui_settings_row(f, i);
        bool sel = i == ui->settings_selected;
        render_rect(r.x, r.y, r.w, r.h, sel ? 0x3F8FE8FF : 0x2A3644FF);
        char label[UI_TEXT_MAX + 32];
        switch (i) {
        case UI_SET_NAME:
            snprintf(label, sizeof label, "Name: %s", ui->name);
            break;
        case UI_SET_COLOUR:
            snprintf(label, sizeof label, "Colour: %s", ui_settings_colour_name(ui->colour));
            break;
        case UI_SET_FULLSCREEN:
            snprintf(label, sizeof label, "Fullscreen (F11): %s", ui->fullscreen ? "on" : "off");
            break;
        case UI_SET_VSYNC:
            snprintf(label, sizeof label, "VSync: %s", ui->vsync ? "on" : "off");
            break;
        case UI_SET_NETGRAPH:
            snprintf(label, sizeof label, "Net graph (F3): %s", ui->show_graph ? "shown" : "hidden");
            break;
        case UI_SET_NETWORK:
            snprintf(label, sizeof label, "Network: %s", ui_settings_network_name(ui->snapshot_hz));
            break;
        case UI_SET_VOLUME:
            snprintf(label, sizeof label, "Volume: %d%%", ui->volume);
            break;
        case UI_SET_MUTE:
            snprintf(label, sizeof label, "Sound: %s", ui->mute ? "muted" : "on");
            break;
        default:
            snprintf(label, sizeof label, "Back");
            break;
        }
        float fh = render_font_height(RENDER_FONT_MEDIUM);
        float tw = render_text(RENDER_FONT_MEDIUM, label, r.x + r.w / 2, r.y + (r.h - fh) / 2, RENDER_ALIGN_CENTER,
                               sel ? 0xFFFFFFFF : 0xC8D0D8FF);
        if (i == UI_SET_COLOUR && ui->colour >= 0) {
            float sw = fh * 0.8f;
            render_rect(r.x + r.w / 2 + tw / 2 + 10 * s, r.y + (r.h - sw) / 2, sw, sw,
                        draw_player_colour((uint8_t)ui->colour));
        }
    }
    render_text(RENDER_FONT_SMALL, "Up/Down: choose   Left/Right or Enter: change   Esc: back.  Saved at once.",
                f->w * 0.5f, f->h - 30 * s, RENDER_ALIGN_CENTER, 0x8C98A4FF);
}
