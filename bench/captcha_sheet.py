#!/usr/bin/python3
"""A contact sheet of captcha samples for human eyes: captcha_sheet.py DIR FIRST COUNT OUT.png
Each sample is shown at 3x with its index (answers are not drawn: read them, then compare)."""
import sys
from PIL import Image, ImageDraw

d, first, count, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
cols, scale = 2, 3
rows = (count + cols - 1) // cols
cell_w, cell_h = 120 * scale + 40, 44 * scale + 8
sheet = Image.new("L", (cols * cell_w, rows * cell_h), 255)
draw = ImageDraw.Draw(sheet)
for k in range(count):
    i = first + k
    img = Image.open("%s/%d.png" % (d, i)).convert("L").resize((120 * scale, 44 * scale), Image.NEAREST)
    x, y = (k % cols) * cell_w, (k // cols) * cell_h
    draw.text((x + 2, y + 4), str(i), fill=0)
    sheet.paste(img, (x + 36, y + 4))
sheet.save(out)
