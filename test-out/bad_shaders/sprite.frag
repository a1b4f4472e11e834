#version 330 core
out vec4 o;
void main() { o = vec4(1.0); }
