namespace KtpFleet.Corpus.Data;

/// <summary>
/// Invented-name building blocks that look Indonesian (Javanese, Sundanese, Malay, Batak, Balinese, Arabic-derived,
/// Chinese-Indonesian), plus foreign names for WNA cards. Combinations are random; any match with a real person is
/// coincidence, and no card carries a real person's data.
/// </summary>
internal static class NameLists
{
    public static readonly string[] MaleGiven =
    [
        "AGUS", "BUDI", "DEDI", "EKO", "HENDRA", "IWAN", "JOKO", "RUDI", "SLAMET", "BAMBANG", "AHMAD", "MUHAMMAD",
        "RIZKY", "FAJAR", "ARIF", "YUSUF", "HERU", "ANDI", "IMAM", "DIMAS", "BAYU", "GILANG", "PUTU", "MADE", "KETUT",
        "WAYAN", "ASEP", "UJANG", "DADANG", "TAUFIK", "HIDAYAT", "SUPRIYADI", "SUTRISNO", "WAHYU", "TEGUH", "YOGI",
        "ADITYA", "RAHMAT", "IRFAN", "HASAN", "FIRMAN", "ARIS", "SETIAWAN", "KURNIAWAN", "NUGROHO", "SAMSUL",
        "ABDUL", "FAISAL", "ILHAM", "RAMADHAN", "DONI", "HARTONO", "SUGENG", "MULYADI", "SUHARTO", "ZAINAL",
    ];

    public static readonly string[] FemaleGiven =
    [
        "SITI", "SRI", "DEWI", "RINA", "YULI", "NUR", "AYU", "PUTRI", "INDAH", "LESTARI", "FITRI", "RATNA", "WULAN",
        "DIAN", "ANISA", "NOVI", "RIA", "MEGA", "TUTI", "ENDANG", "SUMARNI", "WATI", "NINGSIH", "RAHAYU", "KARTIKA",
        "MAYA", "FARAH", "NABILA", "AISYAH", "FATIMAH", "HALIMAH", "KOMANG", "NI LUH", "CUCU", "EUIS", "NENG",
        "SARI", "MELATI", "PERMATA", "RETNO", "SUSANTI", "HANDAYANI", "PURNAMASARI", "YUNITA", "LINDA", "ELIS",
    ];

    public static readonly string[] FamilyOrSecond =
    [
        "SANTOSO", "WIJAYA", "SAPUTRA", "SAPUTRI", "PRATAMA", "HIDAYAT", "SETIAWAN", "KUSUMA", "LESTARI", "PURNOMO",
        "SIREGAR", "NASUTION", "HARAHAP", "SIMANJUNTAK", "SIHOMBING", "PANJAITAN", "LUBIS", "TAMBUNAN", "SITORUS",
        "WIBOWO", "SUSANTO", "GUNAWAN", "HALIM", "TANOTO", "SUGIARTO", "PANGESTU", "MAHENDRA", "PERMANA", "SUBAGJA",
        "RAHMAN", "HAKIM", "FAUZI", "MAULANA", "ANWAR", "SUDRAJAT", "KURNIA", "ANGGRAINI", "RAHMAWATI", "WULANDARI",
        "SUSILO", "HARYANTO", "PRASETYO", "NUGRAHA", "FIRMANSYAH", "SYAHPUTRA", "ALAMSYAH", "UTAMA", "BUDIMAN",
        "DAMANIK", "GINTING", "TARIGAN", "SEMBIRING", "MANURUNG", "PARDEDE", "BATUBARA", "POHAN", "DALIMUNTHE",
    ];

    public static readonly string[] StreetNames =
    [
        "MERDEKA", "SUDIRMAN", "DIPONEGORO", "GATOT SUBROTO", "AHMAD YANI", "PAHLAWAN", "MELATI", "MAWAR", "ANGGREK",
        "KENANGA", "CEMPAKA", "FLAMBOYAN", "BERINGIN", "KAMBOJA", "TERATAI", "SURAPATI", "IMAM BONJOL", "HASANUDDIN",
        "PANGERAN ANTASARI", "GAJAH MADA", "HAYAM WURUK", "KARTINI", "CUT NYAK DIEN", "SISINGAMANGARAJA", "RAYA BOGOR",
        "KALIURANG", "MALIOBORO", "PEMUDA", "SILIWANGI", "PAJAJARAN", "DAAN MOGOT", "KH. MAS MANSYUR", "RAWA BELONG",
        "PERINTIS KEMERDEKAAN", "MANGGA DUA", "PASAR MINGGU", "KEBON JERUK", "CENDRAWASIH", "RAJAWALI", "NUSANTARA",
    ];

    public static readonly string[] Hamlets =
    [
        "DUSUN KRAJAN", "DUSUN SUKAMAJU", "DUSUN MEKARSARI", "KP. CIBOGO", "KP. BABAKAN", "DUSUN SIDOREJO",
        "DUSUN TEGALSARI", "KP. SUKARAME", "DUSUN KARANGANYAR", "LINGKUNGAN SEKAR JAYA", "DUSUN WONOSARI",
        "KP. PASIR MUNCANG", "DUSUN BELIDAK", "DUSUN TANJUNG HARAPAN", "KOMPLEK PERUMAHAN GRIYA ASRI",
    ];

    public static readonly string[] BlockPrefixes = ["JL.", "JL.", "JL.", "JALAN", "GG.", "LORONG"];

    public static readonly string[] ForeignMaleGiven = ["JOHN", "MICHAEL", "DAVID", "HIROSHI", "WEI", "KENJI", "PIETER", "JAMES", "LUCAS", "ANDREW"];
    public static readonly string[] ForeignFemaleGiven = ["MARY", "EMMA", "YUKI", "MEI LING", "SOPHIE", "ANNA", "SARAH", "HANNAH", "CLAIRE", "MIKA"];
    public static readonly string[] ForeignFamily = ["SMITH", "JOHNSON", "TANAKA", "ZHANG", "VAN DER BERG", "MULLER", "WILLIAMS", "KIM", "NGUYEN", "ANDERSON", "O'BRIEN"];
    public static readonly string[] Countries = ["AUSTRALIA", "JEPANG", "CHINA", "BELANDA", "AMERIKA SERIKAT", "KOREA SELATAN", "INGGRIS", "JERMAN", "MALAYSIA", "INDIA"];
}
