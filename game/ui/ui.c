#include "ui.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "proto.h"
#include "render.h"
#include "sim.h"
#include "ui_host.h"
#include "ui_settings.h"

void ui_init(ui_state *ui, const char *name, uint16_t default_port)
{
    memset(ui, 0, sizeof *ui);
    snprintf(ui->name, sizeof ui->name, "%s", name);
    ui->default_port = default_port;
    ui->recent_pick = -1;
    ui->colour = -1;
    ui->vsync = true;
    for (int i = 0; i < UI_SCREEN_COUNT; i++)
        ui->back[i] = UI_MAIN;
    ui->back[UI_PASSWORD] = UI_JOIN; /* a password is asked for a join */
    /* The Host screen's defaults until the app fills in the last game. */
    ui_host_values h = {.port = default_port, .max_players = UI_HOST_DEFAULT_PLAYERS,
                        .round_seconds = SIM_ROUND_SECONDS_DEFAULT};
    ui_host_fill(ui, &h);
}

void ui_show(ui_state *ui, ui_screen screen)
{
    ui->screen = screen;
    bool text = screen == UI_JOIN || screen == UI_NAME || screen == UI_HOST || screen == UI_PASSWORD;
    if (screen == UI_PASSWORD)
        ui->join_password[0] = '\0';
    if (text)
        SDL_StartTextInput();
    else
        SDL_StopTextInput();
    if (screen == UI_NAME)
        snprintf(ui->name_text, sizeof ui->name_text, "%s", ui->name);
    if (screen == UI_JOIN)
        ui->recent_pick = -1;
    if (screen != UI_GAME)
        ui->game_menu = false;
}

void ui_open(ui_state *ui, ui_screen screen, ui_screen back)
{
    if (back != screen)
        ui->back[screen] = back;
    ui_show(ui, screen);
}

void ui_back(ui_state *ui)
{
    ui->error[0] = '\0';
    ui_show(ui, ui->back[ui->screen]);
}

void ui_lan_set(ui_state *ui, const discovery_game *games, int count, const char *status)
{
    if (count > UI_LAN_MAX)
        count = UI_LAN_MAX;
    if (count < 0)
        count = 0;
    memcpy(ui->lan, games, sizeof *games * (size_t)count);
    ui->lan_count = count;
    if (ui->lan_selected >= count)
        ui->lan_selected = count > 0 ? count - 1 : 0;
    snprintf(ui->lan_status, sizeof ui->lan_status, "%s", status ? status : "");
}

void ui_recent_add(ui_state *ui, const char *address)
{
    if (!address || !address[0])
        return;
    char entry[UI_TEXT_MAX];
    snprintf(entry, sizeof entry, "%s", address);
    int n = ui->recent_count;
    for (int i = 0; i < n; i++) {
        if (strcmp(ui->recent[i], entry) == 0) {
            n = i; /* a repeat moves to the front */
            ui->recent_count--;
            break;
        }
    }
    if (n >= UI_RECENT_MAX)
        n = UI_RECENT_MAX - 1;
    memmove(ui->recent[1], ui->recent[0], sizeof ui->recent[0] * (size_t)n);
    memcpy(ui->recent[0], entry, sizeof entry);
    if (ui->recent_count < UI_RECENT_MAX)
        ui->recent_count++;
}

int ui_recent_count(const ui_state *ui)
{
    return ui->recent_count;
}

const char *ui_recent_get(const ui_state *ui, int i)
{
    return i >= 0 && i < ui->recent_count ? ui->recent[i] : NULL;
}

/* Layout shared by drawing and mouse hit-tests. */
typedef struct {
    float x, y, w, h;
} ui_rect;

/* The main menu's items fill the space between the title and the footer,
 * at most 56 px (at scale) apart, so they fit any allowed window. */
static ui_rect ui_main_item(const ui_frame *f, int i)
{
    float s = f->ui_scale, top = f->h * 0.36f, bottom = f->h - 44 * s;
    float pitch = (bottom - top) / UI_MAIN_COUNT;
    if (pitch > 56 * s)
        pitch = 56 * s;
    ui_rect r = {f->w * 0.5f - 170 * s, top + i * pitch, 340 * s, pitch * (46.0f / 56.0f)};
    return r;
}

/* The main menu's Reconnect offer: beside Join game, clear of the
 * notice and the footer at any allowed window size. */
static ui_rect ui_reconnect_button(const ui_frame *f)
{
    float s = f->ui_scale;
    ui_rect join = ui_main_item(f, UI_MAIN_JOIN);
    ui_rect r = {join.x + join.w + 16 * s, join.y, 200 * s, join.h};
    return r;
}

static ui_action ui_reconnect(ui_state *ui)
{
    snprintf(ui->join_text, sizeof ui->join_text, "%s", ui->reconnect_to);
    ui->notice[0] = '\0';
    ui->reconnect_to[0] = '\0';
    ui->error[0] = '\0';
    return UI_ACT_RECONNECT;
}

static ui_rect ui_cancel_button(const ui_frame *f)
{
    float s = f->ui_scale;
    ui_rect r = {f->w * 0.5f - 90 * s, f->h * 0.58f, 180 * s, 48 * s};
    return r;
}

/* Rows of the Find LAN games list; they scroll to keep the selection in view. */
static float ui_lan_top(const ui_frame *f)
{
    return f->h * 0.30f + 76 * f->ui_scale; /* below the title and status */
}

static int ui_lan_visible(const ui_frame *f)
{
    /* Leaves room for the error line and the hint at the bottom. */
    float s = f->ui_scale;
    int v = (int)((f->h - 110 * s - ui_lan_top(f)) / (44 * s));
    return v < 1 ? 1 : v;
}

static int ui_lan_first(const ui_state *ui, const ui_frame *f)
{
    int v = ui_lan_visible(f);
    return ui->lan_selected >= v ? ui->lan_selected - v + 1 : 0;
}

static ui_rect ui_lan_row(const ui_frame *f, int visible_index)
{
    float s = f->ui_scale;
    ui_rect r = {f->w * 0.5f - 330 * s, ui_lan_top(f) + visible_index * 44 * s, 660 * s, 38 * s};
    return r;
}

static ui_rect ui_recent_row(const ui_frame *f, int i)
{
    float s = f->ui_scale;
    ui_rect r = {f->w * 0.5f - 230 * s, f->h * 0.36f + 196 * s + i * 34 * s, 460 * s, 30 * s};
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
    ui->reconnect_to[0] = '\0';
    switch (item) {
    case UI_MAIN_HOST:
        /* The form first; Enter there hosts. */
        ui->error[0] = '\0';
        ui_open(ui, UI_HOST, UI_MAIN);
        ui_host_open(ui);
        return UI_ACT_NONE;
    case UI_MAIN_PRACTICE:
        ui->error[0] = '\0';
        return UI_ACT_PRACTICE;
    case UI_MAIN_FIND:
        /* The app sees the screen and searches while it is open. */
        ui->error[0] = '\0';
        ui->lan_count = 0;
        ui->lan_selected = 0;
        snprintf(ui->lan_status, sizeof ui->lan_status, "Searching the LAN...");
        ui_open(ui, UI_LAN, UI_MAIN);
        return UI_ACT_NONE;
    case UI_MAIN_JOIN:
        ui->error[0] = '\0';
        ui_open(ui, UI_JOIN, UI_MAIN);
        return UI_ACT_NONE;
    case UI_MAIN_NAME:
        ui->error[0] = '\0';
        ui_open(ui, UI_NAME, UI_MAIN);
        return UI_ACT_NONE;
    case UI_MAIN_SETTINGS:
        ui->error[0] = '\0';
        ui_open(ui, UI_SETTINGS, UI_MAIN);
        return UI_ACT_NONE;
    default:
        return UI_ACT_QUIT;
    }
}

/* On the name screen an error about the name goes as soon as the name
 * being typed is a valid one. */
static void ui_name_recheck(ui_state *ui)
{
    if (ui->screen == UI_NAME && ui->error[0] && proto_name_valid(ui->name_text, strlen(ui->name_text)))
        ui->error[0] = '\0';
}

static ui_action ui_text_event(ui_state *ui, const SDL_Event *ev)
{
    bool join = ui->screen == UI_JOIN;
    bool secret = ui->screen == UI_PASSWORD;
    char *text = join ? ui->join_text : secret ? ui->join_password : ui->name_text;
    size_t limit = join ? UI_TEXT_MAX - 1 : secret ? PROTO_PASSWORD_MAX : PROTO_NAME_MAX;
    if (ev->type == SDL_TEXTINPUT) {
        ui_append(text, UI_TEXT_MAX, ev->text.text, limit);
        ui_name_recheck(ui);
        return UI_ACT_NONE;
    }
    if (ev->type != SDL_KEYDOWN)
        return UI_ACT_NONE;
    SDL_Keycode k = ev->key.keysym.sym;
    if (join && (k == SDLK_UP || k == SDLK_DOWN) && ui->recent_count > 0) {
        /* Like a shell's history: Down goes to older hosts. */
        int p = ui->recent_pick + (k == SDLK_DOWN ? 1 : -1);
        if (p < 0)
            p = 0;
        if (p >= ui->recent_count)
            p = ui->recent_count - 1;
        ui->recent_pick = p;
        snprintf(ui->join_text, sizeof ui->join_text, "%s", ui->recent[p]);
    } else if (k == SDLK_BACKSPACE) {
        ui_backspace(text);
        ui_name_recheck(ui);
    } else if (k == SDLK_v && (ev->key.keysym.mod & KMOD_CTRL)) {
        char *clip = SDL_GetClipboardText();
        if (clip) {
            ui_append(text, UI_TEXT_MAX, clip, limit);
            SDL_free(clip);
        }
        ui_name_recheck(ui);
    } else if (k == SDLK_ESCAPE) {
        ui_back(ui);
    } else if (k == SDLK_RETURN || k == SDLK_KP_ENTER) {
        if (join || secret)
            return UI_ACT_JOIN;
        if (!proto_name_valid(ui->name_text, strlen(ui->name_text))) {
            snprintf(ui->error, sizeof ui->error, "A name is 1 to %d characters, not only spaces.", PROTO_NAME_MAX);
            return UI_ACT_NONE;
        }
        snprintf(ui->name, sizeof ui->name, "%s", ui->name_text);
        ui_back(ui);
        return UI_ACT_SETTINGS; /* the app saves the new name */
    }
    return UI_ACT_NONE;
}

/* Enter on a listed game: join it, unless it speaks another protocol. A
 * game that needs a password asks for it first on the Password screen
 * (Esc there returns to this list; Enter there joins). */
static ui_action ui_lan_choose(ui_state *ui)
{
    if (ui->lan_selected < 0 || ui->lan_selected >= ui->lan_count)
        return UI_ACT_NONE;
    const discovery_game *g = &ui->lan[ui->lan_selected];
    if (!discovery_game_compatible(g)) {
        snprintf(ui->error, sizeof ui->error, "%s runs game version %u; this game is version %d.", g->name,
                 g->game_version, PROTO_VERSION);
        return UI_ACT_NONE;
    }
    ui->error[0] = '\0';
    snprintf(ui->join_text, sizeof ui->join_text, "%s:%u", g->addr, g->game_port);
    if (g->locked) {
        ui_open(ui, UI_PASSWORD, UI_LAN);
        return UI_ACT_NONE;
    }
    return UI_ACT_JOIN;
}

static ui_action ui_lan_event(ui_state *ui, const SDL_Event *ev, const ui_frame *f, float mx, float my)
{
    if (ev->type == SDL_KEYDOWN) {
        SDL_Keycode k = ev->key.keysym.sym;
        if ((k == SDLK_UP || k == SDLK_w) && ui->lan_selected > 0) {
            ui->lan_selected--;
            ui->error[0] = '\0';
        } else if ((k == SDLK_DOWN || k == SDLK_s) && ui->lan_selected + 1 < ui->lan_count) {
            ui->lan_selected++;
            ui->error[0] = '\0';
        } else if (k == SDLK_RETURN || k == SDLK_KP_ENTER || k == SDLK_SPACE) {
            return ui_lan_choose(ui);
        } else if (k == SDLK_ESCAPE) {
            ui_back(ui);
        }
    } else if (ev->type == SDL_MOUSEBUTTONDOWN && ev->button.button == SDL_BUTTON_RIGHT) {
        ui_back(ui);
    } else if (ev->type == SDL_MOUSEMOTION || ev->type == SDL_MOUSEBUTTONDOWN) {
        int first = ui_lan_first(ui, f), visible = ui_lan_visible(f);
        for (int i = first; i < ui->lan_count && i < first + visible; i++) {
            if (ui_hit(ui_lan_row(f, i - first), mx, my)) {
                if (ui->lan_selected != i)
                    ui->error[0] = '\0';
                ui->lan_selected = i;
                if (ev->type == SDL_MOUSEBUTTONDOWN && ev->button.button == SDL_BUTTON_LEFT)
                    return ui_lan_choose(ui);
            }
        }
    }
    return UI_ACT_NONE;
}

enum { UI_GAME_RESUME, UI_GAME_SETTINGS, UI_GAME_LEAVE, UI_GAME_COUNT };

static ui_rect ui_game_menu_item(const ui_frame *f, int i)
{
    float s = f->ui_scale;
    ui_rect r = {f->w * 0.5f - 140 * s, f->h * 0.5f - 80 * s + i * 56 * s, 280 * s, 46 * s};
    return r;
}

static ui_action ui_game_menu_pick(ui_state *ui, int item)
{
    ui->game_menu = false;
    if (item == UI_GAME_SETTINGS)
        ui_open(ui, UI_SETTINGS, UI_GAME); /* Back there returns to the game */
    return item == UI_GAME_LEAVE ? UI_ACT_LEAVE : UI_ACT_NONE;
}

/* In game Esc opens the menu instead of leaving at once; with it open the
 * keys and the mouse are the menu's, and Esc resumes. */
static ui_action ui_game_menu_event(ui_state *ui, const SDL_Event *ev, const ui_frame *f, float mx, float my)
{
    if (!ui->game_menu) {
        if (ev->type == SDL_KEYDOWN && ev->key.keysym.sym == SDLK_ESCAPE) {
            ui->game_menu = true;
            ui->game_menu_selected = UI_GAME_RESUME;
        }
        return UI_ACT_NONE;
    }
    if (ev->type == SDL_KEYDOWN) {
        SDL_Keycode k = ev->key.keysym.sym;
        if (k == SDLK_ESCAPE)
            ui->game_menu = false;
        else if (k == SDLK_UP || k == SDLK_w)
            ui->game_menu_selected = (ui->game_menu_selected + UI_GAME_COUNT - 1) % UI_GAME_COUNT;
        else if (k == SDLK_DOWN || k == SDLK_s || k == SDLK_TAB)
            ui->game_menu_selected = (ui->game_menu_selected + 1) % UI_GAME_COUNT;
        else if (k == SDLK_HOME || k == SDLK_PAGEUP)
            ui->game_menu_selected = 0;
        else if (k == SDLK_END || k == SDLK_PAGEDOWN)
            ui->game_menu_selected = UI_GAME_COUNT - 1;
        else if (k == SDLK_RETURN || k == SDLK_KP_ENTER || k == SDLK_SPACE)
            return ui_game_menu_pick(ui, ui->game_menu_selected);
    } else if (ev->type == SDL_MOUSEMOTION || ev->type == SDL_MOUSEBUTTONDOWN) {
        for (int i = 0; i < UI_GAME_COUNT; i++) {
            if (ui_hit(ui_game_menu_item(f, i), mx, my)) {
                ui->game_menu_selected = i;
                if (ev->type == SDL_MOUSEBUTTONDOWN && ev->button.button == SDL_BUTTON_LEFT)
                    return ui_game_menu_pick(ui, i);
            }
        }
    }
    return UI_ACT_NONE;
}

void ui_draw_game_menu(const ui_state *ui, const ui_frame *f)
{
    if (ui->screen != UI_GAME || !ui->game_menu)
        return;
    static const char *labels[UI_GAME_COUNT] = {"Resume", "Settings", "Leave game"};
    float s = f->ui_scale;
    render_rect(0, 0, (float)f->w, (float)f->h, 0x00000090);
    ui_rect first = ui_game_menu_item(f, 0), last = ui_game_menu_item(f, UI_GAME_COUNT - 1);
    render_rect(first.x - 20 * s, first.y - 60 * s, first.w + 40 * s, last.y + last.h - first.y + 90 * s, 0x141A22F8);
    render_text(RENDER_FONT_MEDIUM, "Game menu", f->w * 0.5f, first.y - 44 * s, RENDER_ALIGN_CENTER, 0xF2E6A0FF);
    for (int i = 0; i < UI_GAME_COUNT; i++) {
        ui_rect r = ui_game_menu_item(f, i);
        bool sel = i == ui->game_menu_selected;
        render_rect(r.x, r.y, r.w, r.h, sel ? 0x3F8FE8FF : 0x2A3644FF);
        render_text(RENDER_FONT_MEDIUM, labels[i], r.x + r.w / 2, r.y + (r.h - render_font_height(RENDER_FONT_MEDIUM)) / 2,
                    RENDER_ALIGN_CENTER, sel ? 0xFFFFFFFF : 0xC8D0D8FF);
    }
    render_text(RENDER_FONT_SMALL, "Esc: back to the game", f->w * 0.5f, last.y + last.h + 10 * s,
                RENDER_ALIGN_CENTER, 0x8C98A4FF);
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
            else if (k == SDLK_HOME || k == SDLK_PAGEUP)
                ui->selected = 0;
            else if (k == SDLK_END || k == SDLK_PAGEDOWN)
                ui->selected = UI_MAIN_COUNT - 1;
            else if (k == SDLK_RETURN || k == SDLK_KP_ENTER || k == SDLK_SPACE)
                return ui_activate_main(ui, ui->selected);
            else if (k == SDLK_ESCAPE)
                return UI_ACT_QUIT;
            else if (k == SDLK_r && ui->reconnect_to[0])
                return ui_reconnect(ui);
        } else if (ev->type == SDL_MOUSEMOTION || ev->type == SDL_MOUSEBUTTONDOWN) {
            if (ui->reconnect_to[0] && ev->type == SDL_MOUSEBUTTONDOWN && ev->button.button == SDL_BUTTON_LEFT &&
                ui_hit(ui_reconnect_button(f), mx, my))
                return ui_reconnect(ui);
            for (int i = 0; i < UI_MAIN_COUNT; i++) {
                if (ui_hit(ui_main_item(f, i), mx, my)) {
                    ui->selected = i;
                    if (ev->type == SDL_MOUSEBUTTONDOWN && ev->button.button == SDL_BUTTON_LEFT)
                        return ui_activate_main(ui, i);
                }
            }
        }
        return UI_ACT_NONE;
    case UI_LAN:
        return ui_lan_event(ui, ev, f, mx, my);
    case UI_SETTINGS: {
        ui_settings_go go = UI_SETTINGS_STAY;
        ui_action act = ui_settings_event(ui, ev, f, mx, my, &go);
        if (go == UI_SETTINGS_EDIT_NAME)
            ui_open(ui, UI_NAME, UI_SETTINGS); /* Enter or Esc there comes back here */
        else if (go == UI_SETTINGS_BACK)
            ui_back(ui);
        return act;
    }
    case UI_HOST: {
        bool back = false;
        ui_action act = ui_host_event(ui, ev, f, mx, my, &back);
        if (back)
            ui_back(ui);
        return act;
    }
    case UI_JOIN:
    case UI_NAME:
    case UI_PASSWORD:
        if (ui->screen == UI_JOIN && ev->type == SDL_MOUSEBUTTONDOWN && ev->button.button == SDL_BUTTON_LEFT) {
            for (int i = 0; i < ui->recent_count; i++) {
                if (ui_hit(ui_recent_row(f, i), mx, my)) {
                    snprintf(ui->join_text, sizeof ui->join_text, "%s", ui->recent[i]);
                    return UI_ACT_JOIN;
                }
            }
        }
        if (ev->type == SDL_MOUSEBUTTONDOWN && ev->button.button == SDL_BUTTON_RIGHT) {
            ui_back(ui);
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
        return ui_game_menu_event(ui, ev, f, mx, my);
    case UI_SCREEN_COUNT:
        break;
    }
    return UI_ACT_NONE;
}

static void ui_background(const ui_frame *f)
{
    /* A few gems drifting down the margins so the menu feels alive; the
     * middle column, where every screen puts its text, stays clear. */
    float s = f->ui_scale, size = 32 * s;
    render_rect(0, 0, (float)f->w, (float)f->h, 0x1B2430FF);
    float margin = f->w * 0.5f - 260 * s; /* each side of the column */
    for (int i = 0; margin > size && i < 12; i++) {
        float t = (float)(f->now_us % 20000000) / 20000000.0f;
        float across = (float)((i * 173) % 100) / 100.0f * (margin - size);
        float x = i % 2 ? across : (float)f->w - margin + across;
        float y = fmodf((float)(i * 97) + t * (float)f->h * (float)(1 + i % 3), (float)f->h + 2 * size) - size;
        render_sprite(i % 2 ? RENDER_SPR_GEM1 : RENDER_SPR_GEM2, x, y, size, false, 0xFFFFFF50);
    }
    render_text(RENDER_FONT_LARGE, "LAN Arena", f->w * 0.5f, f->h * 0.14f, RENDER_ALIGN_CENTER, 0xF2E6A0FF);
    render_text(RENDER_FONT_SMALL, "gems, friends, one network", f->w * 0.5f, f->h * 0.14f + 58 * s,
                RENDER_ALIGN_CENTER, 0x8C98A4FF);
}

static void ui_draw_main(const ui_state *ui, const ui_frame *f)
{
    static const char *labels[UI_MAIN_COUNT] = {"Host game", "Join game", "Find LAN games", "Practice vs bots",
                                                NULL,        "Settings",  "Quit"};
    float s = f->ui_scale;
    for (int i = 0; i < UI_MAIN_COUNT; i++) {
        ui_rect r = ui_main_item(f, i);
        bool sel = i == ui->selected;
        render_rect(r.x, r.y, r.w, r.h, sel ? 0x3F8FE8FF : 0x2A3644FF);
        char name_label[UI_TEXT_MAX + 16];
        snprintf(name_label, sizeof name_label, "Name: %s", ui->name);
        const char *label = labels[i] ? labels[i] : name_label;
        render_text(RENDER_FONT_MEDIUM, label, r.x + r.w / 2, r.y + (r.h - render_font_height(RENDER_FONT_MEDIUM)) / 2,
                    RENDER_ALIGN_CENTER, sel ? 0xFFFFFFFF : 0xC8D0D8FF);
    }
    if (ui->notice[0]) {
        /* Below the menu if it fits above the footer, else above the menu;
         * the small font when the medium one is wider than the window. */
        render_font font = render_text_width(RENDER_FONT_MEDIUM, ui->notice) + 40 * s < f->w ? RENDER_FONT_MEDIUM
                                                                                             : RENDER_FONT_SMALL;
        float w = render_text_width(font, ui->notice), box_h = render_font_height(font) + 12 * s;
        ui_rect first = ui_main_item(f, 0), last = ui_main_item(f, UI_MAIN_COUNT - 1);
        float footer = f->h - 30 * s, y = last.y + last.h + 24 * s;
        if (y - 6 * s + box_h > footer - 8 * s)
            y = first.y - box_h - 6 * s;
        render_rect(f->w * 0.5f - w / 2 - 14 * s, y - 6 * s, w + 28 * s, box_h, 0x5A2A2AE0);
        render_text(font, ui->notice, f->w * 0.5f, y, RENDER_ALIGN_CENTER, 0xFFE0E0FF);
    }
    if (ui->reconnect_to[0]) {
        ui_rect r = ui_reconnect_button(f);
        render_rect(r.x, r.y, r.w, r.h, 0x3F8FE8FF);
        render_text(RENDER_FONT_MEDIUM, "Reconnect (R)", r.x + r.w / 2,
                    r.y + (r.h - render_font_height(RENDER_FONT_MEDIUM)) / 2, RENDER_ALIGN_CENTER, 0xFFFFFFFF);
    }
    render_text(RENDER_FONT_SMALL, "Arrows + Enter, a gamepad or the mouse.  Esc quits.", f->w * 0.5f,
                f->h - 30 * s, RENDER_ALIGN_CENTER, 0x8C98A4FF);
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

static void ui_draw_recent(const ui_state *ui, const ui_frame *f)
{
    if (ui->recent_count == 0)
        return;
    float s = f->ui_scale;
    ui_rect first = ui_recent_row(f, 0);
    render_text(RENDER_FONT_SMALL, "Recent hosts (Up/Down or click):", first.x, first.y - 26 * s, RENDER_ALIGN_LEFT,
                0x8C98A4FF);
    for (int i = 0; i < ui->recent_count; i++) {
        ui_rect r = ui_recent_row(f, i);
        bool sel = i == ui->recent_pick;
        render_rect(r.x, r.y, r.w, r.h, sel ? 0x3F8FE8FF : 0x2A3644FF);
        render_text(RENDER_FONT_SMALL, ui->recent[i], r.x + 12 * s, r.y + (r.h - render_font_height(RENDER_FONT_SMALL)) / 2,
                    RENDER_ALIGN_LEFT, sel ? 0xFFFFFFFF : 0xC8D0D8FF);
    }
}

/* A padlock of rectangles, left edge at x, centred on y, about 16 x 20
 * at scale s. */
static void ui_draw_lock(float x, float y, float s, uint32_t colour)
{
    float bw = 16 * s, bh = 11 * s, t = 2.5f * s;
    float top = y - 10 * s;
    render_rect(x + 3 * s, top, bw - 6 * s, t, colour);         /* shackle top */
    render_rect(x + 3 * s, top, t, 9 * s, colour);              /* shackle left */
    render_rect(x + bw - 3 * s - t, top, t, 9 * s, colour);     /* shackle right */
    render_rect(x, y - 1 * s, bw, bh, colour);                  /* body */
    render_rect(x + bw / 2 - 1 * s, y + 2 * s, 2 * s, 4 * s, 0x0E1319FF); /* keyhole */
}

static void ui_draw_lan(const ui_state *ui, const ui_frame *f)
{
    float s = f->ui_scale;
    render_text(RENDER_FONT_MEDIUM, "LAN games", f->w * 0.5f, f->h * 0.30f, RENDER_ALIGN_CENTER, 0xFFFFFFFF);
    render_text(RENDER_FONT_SMALL, ui->lan_status, f->w * 0.5f, f->h * 0.30f + 38 * s, RENDER_ALIGN_CENTER, 0x8C98A4FF);
    int first = ui_lan_first(ui, f), visible = ui_lan_visible(f);
    float fh = render_font_height(RENDER_FONT_SMALL);
    for (int i = first; i < ui->lan_count && i < first + visible; i++) {
        const discovery_game *g = &ui->lan[i];
        bool ok = discovery_game_compatible(g);
        bool sel = i == ui->lan_selected;
        ui_rect r = ui_lan_row(f, i - first);
        render_rect(r.x, r.y, r.w, r.h, sel ? 0x3F8FE8FF : 0x2A3644FF);
        float ty = r.y + (r.h - fh) / 2;
        /* A padlock before the name of a game that needs a password. */
        if (g->locked)
            ui_draw_lock(r.x + 14 * s, r.y + r.h / 2, s, sel ? 0xFFFFFFFF : 0xF2C14EFF);
        render_text(RENDER_FONT_SMALL, g->name, r.x + 40 * s, ty, RENDER_ALIGN_LEFT, ok ? 0xFFFFFFFF : 0xB0B8C0FF);
        char mid[96], ping[24];
        if (ok)
            snprintf(mid, sizeof mid, "%s:%u    %d/%d players", g->addr, g->game_port, g->players, g->max_players);
        else
            snprintf(mid, sizeof mid, "%s:%u    version %u: incompatible", g->addr, g->game_port, g->game_version);
        render_text(RENDER_FONT_SMALL, mid, r.x + r.w - 96 * s, ty, RENDER_ALIGN_RIGHT, ok ? 0xC8D0D8FF : 0xFF9A8CFF);
        int ms = discovery_game_ping_ms(g);
        if (ms < 0)
            snprintf(ping, sizeof ping, "? ms");
        else if (ms == 0)
            snprintf(ping, sizeof ping, "<1 ms");
        else
            snprintf(ping, sizeof ping, "%d ms", ms);
        uint32_t pc = sel ? 0xFFFFFFFF : ms < 0 ? 0x8C98A4FF : ms < 40 ? 0x7CDB8AFF : ms < 100 ? 0xF2C14EFF : 0xFF6A5CFF;
        render_text(RENDER_FONT_SMALL, ping, r.x + r.w - 14 * s, ty, RENDER_ALIGN_RIGHT, pc);
    }
    float below = ui_lan_row(f, ui->lan_count < visible ? ui->lan_count : visible).y + 8 * s;
    if (ui->lan_count == 0)
        render_text(RENDER_FONT_SMALL, "No games yet. Is someone on this network hosting?", f->w * 0.5f, below,
                    RENDER_ALIGN_CENTER, 0xC8D0D8FF);
    if (ui->error[0])
        render_text(RENDER_FONT_SMALL, ui->error, f->w * 0.5f, below + 30 * s, RENDER_ALIGN_CENTER, 0xFF6A5CFF);
    render_text(RENDER_FONT_SMALL, "Up/Down: choose   Enter or click: join (padlock: asks a password)   Esc: back",
                f->w * 0.5f, f->h - 30 * s, RENDER_ALIGN_CENTER, 0x8C98A4FF);
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
        ui_draw_recent(ui, f);
        break;
    case UI_LAN:
        ui_draw_lan(ui, f);
        break;
    case UI_NAME:
        ui_draw_field(f, "Your name", ui->name_text, "Enter: save    Esc: back", ui->error);
        break;
    case UI_SETTINGS:
        ui_settings_draw(ui, f);
        break;
    case UI_HOST:
        ui_host_draw(ui, f);
        break;
    case UI_PASSWORD: {
        /* One '*' per character, never the password. */
        char stars[UI_TEXT_MAX];
        size_t n = 0;
        for (const char *p = ui->join_password; *p && n + 1 < sizeof stars; p++)
            if (((unsigned char)*p & 0xC0) != 0x80)
                stars[n++] = '*';
        stars[n] = '\0';
        ui_draw_field(f, "This game needs a password", stars, "Enter: join    Esc: back", ui->error);
        break;
    }
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
    case UI_SCREEN_COUNT:
        break;
    }
}
