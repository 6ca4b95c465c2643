"""ICP filing numbers (ICP备案号), which a website operating in China shows and links
to MIIT's filing system (UI009)."""
from __future__ import annotations

import re

# Province abbreviation + ICP备/ICP证 + number + 号, optionally -N: 京ICP备12345678号-1,
# 粤ICP证030173号 (MIIT's filing format as sites display it; the -N suffix numbers the
# site under the filer's main record).
ICP_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
ICP_NUMBER = re.compile(rf"[{ICP_PROVINCES}]\s*ICP\s*[备证]\s*\d{{5,12}}(?:\s*号)?(?:\s*-\s*\d{{1,4}})?(?:\s*号)?",
                        re.IGNORECASE)
# The filing system every filing number must link to (Order No. 33, Art. 13).
MIIT_FILING_HOSTS = ("beian.miit.gov.cn", "miitbeian.gov.cn")
