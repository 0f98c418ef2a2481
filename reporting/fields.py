"""The value fields a manager enters, named once for the form, the draft service, the correction
diff and the API."""

# Section B (alumni), C (kelembagaan) and notes on the report itself. own_income is not here: it is
# the sum of the income lines.
REPORT_INPUT_FIELDS = [
    "alumni_bekerja",
    "alumni_wirausaha",
    "alumni_studi",
    "alumni_belum_bekerja",
    "alumni_tidak_terlacak",
    "permit_status",
    "permit_number",
    "permit_expiry",
    "managers_count",
    "instructors_count",
    "instructors_certified",
    "operating_cost",
    "notes",
]

BATCH_INPUT_FIELDS = [
    "kejuruan",
    "program_name",
    "funding_source",
    "start_date",
    "end_date",
    "hours_jp",
    "enrolled_male",
    "enrolled_female",
    "graduated",
    "failed",
    "withdrawn",
    "certified",
    "santri_count",
    "umum_count",
]
# A batch's counts (hours and people): every input after its dates.
BATCH_COUNT_FIELDS = BATCH_INPUT_FIELDS[BATCH_INPUT_FIELDS.index("hours_jp") :]
