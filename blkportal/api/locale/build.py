"""Build this app's message catalogs (run: .venv/bin/python blkportal/api/locale/build.py).

en: English for the API's Indonesian source strings (errors, token pages), so `Accept-Language: en`
    gets English before the project-wide English catalog exists (locale/ in LOCALE_PATHS wins over
    this one once it translates the same strings).
id: Indonesian for Django REST framework messages its own catalog leaves untranslated (so API errors
    do not switch language halfway through a response).
"""

import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent

EN = {
    "Token API": "API tokens",
    "Belum ada token aktif. Token dipakai skrip dan aplikasi untuk mengakses API portal atas nama Anda.": (
        "No active tokens yet. Scripts and applications use a token to access the portal API on your behalf."
    ),
    "Kelola token API": "Manage API tokens",
    "Header Authorization harus berbentuk 'Bearer <token>'.": "The Authorization header must be 'Bearer <token>'.",
    "Token tidak valid atau sudah dicabut.": "Invalid or revoked token.",
    "Isi permintaan terlalu besar.": "The request body is too large.",
    "Data berubah atau bentrok dengan data lain. Muat ulang lalu coba lagi.": (
        "The data changed or conflicts with other data. Reload and try again."
    ),
    "Data yang dikirim tidak valid. Periksa bidang yang disebutkan.": "Invalid data. Check the fields listed.",
    "Data tidak ditemukan.": "Not found.",
    "Terjadi kesalahan pada server.": "A server error occurred.",
    "Isi dengan true atau false.": "Use true or false.",
    "Nilai kosong tidak diperbolehkan; hilangkan parameter ini untuk semua data.": (
        "Empty values are not allowed; leave the parameter out to get everything."
    ),
    "Nama token": "Token name",
    "Misalnya nama skrip atau aplikasi yang memakainya.": "For example the script or application that uses it.",
    "token API": "API token",
    "Nomor halaman harus bilangan bulat mulai 1.": "The page number must be an integer from 1.",
    "Ukuran halaman harus bilangan bulat 1–%(max)d.": "The page size must be an integer from 1 to %(max)d.",
    "Isi permintaan bukan teks UTF-8 yang valid.": "The request body is not valid UTF-8 text.",
    "JSON tidak valid (baris %(line)d, kolom %(col)d): %(msg)s": (
        "Invalid JSON (line %(line)d, column %(col)d): %(msg)s"
    ),
    "JSON tidak valid: NaN dan Infinity tidak diperbolehkan.": "Invalid JSON: NaN and Infinity are not allowed.",
    "JSON terlalu dalam bersarang.": "The JSON is nested too deeply.",
    "Bidang tidak dikenal atau hanya-baca.": "Unknown or read-only field.",
    "Beri nama token, misalnya nama skrip yang memakainya.": "Name the token, for example after the script using it.",
    "Nama token paling panjang 80 karakter.": "A token name has at most 80 characters.",
    "Anda sudah punya token aktif dengan nama ini.": "You already have an active token with this name.",
    "Paling banyak %(n)d token aktif. Cabut token yang tidak dipakai.": (
        "At most %(n)d active tokens. Revoke tokens you no longer use."
    ),
    "Token tidak dapat dibuat. Coba lagi.": "The token could not be created. Try again.",
    "Token pribadi untuk skrip dan aplikasi yang memakai API portal. Token bekerja dengan hak akses Anda sendiri: "
    "ia melihat dan mengubah persis apa yang Anda lihat dan ubah di portal. Kirimkan sebagai header "
    "<code>Authorization: Bearer &lt;token&gt;</code>.": (
        "Personal tokens for scripts and applications that use the portal API. A token works with your own "
        "permissions: it sees and changes exactly what you see and change in the portal. Send it as the header "
        "<code>Authorization: Bearer &lt;token&gt;</code>."
    ),
    "Dokumentasi API": "API documentation",
    'Token "%(name)s" dibuat.': 'Token "%(name)s" created.',
    "Salin sekarang: token ini hanya ditampilkan sekali dan tidak dapat dilihat lagi.": (
        "Copy it now: this token is shown only once and cannot be seen again."
    ),
    "Tersalin": "Copied",
    "Salin": "Copy",
    "Buat token baru": "Create a new token",
    "Buat token": "Create token",
    "Token Anda": "Your tokens",
    "Terakhir dipakai": "Last used",
    "belum pernah": "never",
    "Cabut token ini? Skrip yang memakainya akan berhenti bekerja.": (
        "Revoke this token? Scripts using it will stop working."
    ),
    "Dicabut %(when)s": "Revoked %(when)s",
    "Belum ada token.": "No tokens yet.",
    "Token %(name)s dicabut.": "Token %(name)s revoked.",
    "Kode provinsi": "Province code",
    "Kabupaten/kota ini di luar cakupan Anda.": "This regency is outside your scope.",
    "Tahun penetapan inkubator wajib diisi untuk BLK inkubator.": "An incubator centre needs its designation year.",
    "Isi tanggal penilaian kemandirian.": "Enter the date of the independence assessment.",
    "Nonaktif sejak": "Inactive from",
    "Isi dengan bilangan bulat yang wajar.": "Use a whole number of a sensible size.",
    "Tulis penjelasan singkat (minimal 10 karakter) untuk peringatan berikut, lalu ajukan lagi.": (
        "Write a short explanation (at least 10 characters) for the warnings below, then submit again."
    ),
    "Mentor yang dipilih tidak ditugaskan di BLK ini.": "The chosen mentor is not assigned to this centre.",
    "Isi 1 sampai %(n)d.": "Use 1 to %(n)d.",
    "Berkas ekspor ini sudah kedaluwarsa dan dihapus. Minta ekspor baru.": (
        "This export file has expired and was deleted. Request a new export."
    ),
    "Isi bulan dengan format TTTT-BB, misalnya 2025-01.": "Give the month as YYYY-MM, e.g. 2025-01.",
}

# Django REST framework strings its Indonesian catalog lacks (the ones an API client can meet).
ID = {
    "Malformed request.": "Permintaan tidak valid.",
    'Method "{method}" not allowed.': 'Metode "{method}" tidak diizinkan.',
    "Invalid page.": "Halaman tidak ada.",
    "Invalid data. Expected a dictionary, but got {datatype}.": "Data tidak valid. Diharapkan objek, bukan {datatype}.",
    'Expected a list of items but got type "{input_type}".': 'Diharapkan daftar, bukan "{input_type}".',
    "Expected available in {wait} second.": "Coba lagi dalam {wait} detik.",
    "Expected available in {wait} seconds.": "Coba lagi dalam {wait} detik.",
    "A valid number is required.": "Isi dengan angka yang valid.",
    "Must be a valid boolean.": "Isi dengan true atau false.",
    "Not a valid string.": "Bukan teks yang valid.",
    "This list may not be empty.": "Daftar ini tidak boleh kosong.",
    "This dictionary may not be empty.": "Objek ini tidak boleh kosong.",
    "This field must be unique.": "Nilai ini sudah dipakai.",
    "Invalid value.": "Nilai tidak valid.",
    "Invalid input.": "Masukan tidak valid.",
    "Expected a date but got a datetime.": "Diharapkan tanggal, bukan tanggal dan waktu.",
    "Expected a datetime but got a date.": "Diharapkan tanggal dan waktu, bukan tanggal.",
    "Datetime value out of range.": "Tanggal dan waktu di luar jangkauan.",
    "Incorrect type. Expected pk value, received {data_type}.": "Jenis salah. Diharapkan id, bukan {data_type}.",
    "Object with {slug_name}={value} does not exist.": "Data dengan {slug_name}={value} tidak ada.",
    "String value too large.": "Teks terlalu panjang.",
    "Ensure this field has at least {min_length} elements.": "Isi paling sedikit {min_length} butir.",
    "Ensure this field has no more than {max_length} elements.": "Isi paling banyak {max_length} butir.",
    "Surrogate characters are not allowed: U+{code_point:X}.": (
        "Karakter surrogate tidak diperbolehkan: U+{code_point:X}."
    ),
    "The fields {field_names} must make a unique set.": "Gabungan {field_names} sudah dipakai.",
    "Must be a valid UUID.": "Isi dengan UUID yang valid.",
    'Enter a valid "slug" consisting of Unicode letters, numbers, underscores, or hyphens.': (
        'Isi dengan "slug" yang valid: huruf, angka, garis bawah atau tanda hubung.'
    ),
    "This value does not match the required pattern.": "Nilai ini tidak sesuai pola yang diminta.",
    "A page number within the paginated result set.": "Nomor halaman hasil.",
    "Number of results to return per page.": "Jumlah hasil per halaman.",
}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def write(language: str, messages: dict[str, str]) -> None:
    folder = HERE / language / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Catalog of blkportal.api; generated by blkportal/api/locale/build.py (edit that file).",
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        f'"Language: {language}\\n"',
        '"Plural-Forms: nplurals=1; plural=0;\\n"',
        "",
    ]
    for msgid, msgstr in messages.items():
        flags = "#, python-brace-format" if "{" in msgid else ("#, python-format" if "%(" in msgid else None)
        if flags:
            lines.append(flags)
        lines += [f"msgid {_quote(msgid)}", f"msgstr {_quote(msgstr)}", ""]
    po = folder / "django.po"
    po.write_text("\n".join(lines), encoding="utf-8")
    subprocess.run(["msgfmt", "--check-format", "-o", str(folder / "django.mo"), str(po)], check=True)


if __name__ == "__main__":
    write("en", EN)
    write("id", ID)
