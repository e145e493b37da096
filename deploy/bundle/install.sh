#!/bin/sh
# 督办离线安装：在没有互联网的服务器上，用本包里的 wheel 建立虚拟环境。
#   sh install.sh [安装目录，默认 /opt/duban]
# 不联网、不需要 npm、不在服务器上编译。PYTHON=/path/to/python3.11 可指定解释器。
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=${1:-/opt/duban}
PYTHON=${PYTHON:-python3}
NEED=$(cat "$HERE/PYTHON")

say() { printf '%s\n' "$*"; }
die() { printf '安装失败：%s\n' "$*" >&2; exit 1; }

command -v "$PYTHON" >/dev/null 2>&1 || die "找不到 $PYTHON（需要 Python $NEED 或更新的同一版本系列）"
"$PYTHON" - "$NEED" <<'PY' || die "Python 版本不符：本安装包需要 Python $NEED 或同系列更新的版本（用 PYTHON=... 指定）"
import sys
need = tuple(int(x) for x in sys.argv[1].split("."))
have = sys.version_info[:3]
sys.exit(0 if have[:2] == need[:2] and have >= need else 1)
PY
"$PYTHON" -c 'import venv, ensurepip' 2>/dev/null || die "Python 缺少 venv/ensurepip 模块（Debian/Ubuntu：安装 python3-venv）"

say "校验安装包……"
(cd "$HERE" && grep -v '  MANIFEST.sha256$' MANIFEST.sha256 | sha256sum -c --quiet -) || die "安装包文件校验不符（MANIFEST.sha256），请重新拷贝"

say "创建虚拟环境 $PREFIX/venv ……"
mkdir -p "$PREFIX"
"$PYTHON" -m venv "$PREFIX/venv"
# 只用本包的 wheelhouse：不读任何 pip 配置、不访问任何索引。
unset PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_FIND_LINKS PIP_TRUSTED_HOST PIP_CONSTRAINT PIP_REQUIRE_VIRTUALENV
PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1 "$PREFIX/venv/bin/python" -m pip install \
  --no-index --find-links "$HERE/wheelhouse" --no-cache-dir -q \
  -r "$HERE/requirements.lock" "$HERE"/wheelhouse/duban-*.whl
"$PREFIX/venv/bin/duban" --help >/dev/null || die "安装后 duban 无法运行"

say "已安装：$PREFIX/venv/bin/duban"
say "下一步：参照 deploy/duban.env.example 写 /etc/duban/duban.env，运行 duban upgrade 和 duban doctor，"
say "再安装 deploy/systemd/ 下的服务和 deploy/nginx/duban.conf（见 README.txt）。"
