#version 330 core
// One atlas holds sprites, glyphs and a white block. Texels with alpha 254
// are "keep" pixels of the sprite art (outline, skin, eyes, gems): drawn
// opaque in their own colour. Every other texel is multiplied by the vertex
// colour, which is the player tint for sprites and the colour of text and
// rects. The vertex alpha fades everything alike.

in vec2 v_uv;
in vec4 v_color;

uniform sampler2D u_atlas;

out vec4 o_color;

void main()
{
    vec4 t = texture(u_atlas, v_uv);
    bool keep = abs(t.a * 255.0 - 254.0) < 0.5;
    vec3 rgb = keep ? t.rgb : t.rgb * v_color.rgb;
    float a = keep ? v_color.a : t.a * v_color.a;
    o_color = vec4(rgb, a);
}
