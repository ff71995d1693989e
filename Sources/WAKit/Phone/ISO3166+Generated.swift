// GENERATED FILE, do not edit. Regenerate with scripts/watools/gen_regions.py, then run
// scripts/watools/check_regions.py (it must report 100% agreement).
// Source: phonenumbers 9.0.43, the Python port of Google's libphonenumber 9.0.43,
// whose metadata is Copyright The Libphonenumber Authors, Apache License 2.0.
// ISO 3166-1 alpha-2 codes and English short names for ISO3166.

extension ISO3166 {
  /// One row per first letter A...Z: bit n is set when the second letter "A"+n makes
  /// an assigned code.
  static let rows: [UInt32] = [
    0x2DF597C, 0x36F7BFB, 0x3F27DED, 0x2005610, 0x00E00D4, 0x0025700,
    0x15FB9FB, 0x01A3400, 0x00F7818, 0x000D010, 0x342B1D0, 0x13E0507,
    0x3FFFCFD, 0x212C975, 0x0001000, 0x14E3CF1, 0x0000001, 0x0544010,
    0x3AE7FDF, 0x26A7EED, 0x3041041, 0x0102155, 0x0040020, 0x0000400,
    0x0080010, 0x0401001,
  ]

  /// How many assigned codes come before each row: a code's index into `names`.
  static let rowStarts: [UInt16] = [
    0, 17, 38, 57, 63, 70, 76, 95, 101, 111, 115, 126, 137,
    160, 172, 173, 187, 188, 193, 214, 231, 237, 244, 246, 247, 249,
  ]

  /// The 252 names, in code order.
  static let names: [String] = [
    "Ascension Island",  // AC
    "Andorra",  // AD
    "United Arab Emirates",  // AE
    "Afghanistan",  // AF
    "Antigua and Barbuda",  // AG
    "Anguilla",  // AI
    "Albania",  // AL
    "Armenia",  // AM
    "Angola",  // AO
    "Antarctica",  // AQ
    "Argentina",  // AR
    "American Samoa",  // AS
    "Austria",  // AT
    "Australia",  // AU
    "Aruba",  // AW
    "Åland Islands",  // AX
    "Azerbaijan",  // AZ
    "Bosnia and Herzegovina",  // BA
    "Barbados",  // BB
    "Bangladesh",  // BD
    "Belgium",  // BE
    "Burkina Faso",  // BF
    "Bulgaria",  // BG
    "Bahrain",  // BH
    "Burundi",  // BI
    "Benin",  // BJ
    "Saint Barthélemy",  // BL
    "Bermuda",  // BM
    "Brunei Darussalam",  // BN
    "Bolivia",  // BO
    "Bonaire, Sint Eustatius and Saba",  // BQ
    "Brazil",  // BR
    "Bahamas",  // BS
    "Bhutan",  // BT
    "Bouvet Island",  // BV
    "Botswana",  // BW
    "Belarus",  // BY
    "Belize",  // BZ
    "Canada",  // CA
    "Cocos (Keeling) Islands",  // CC
    "DR Congo",  // CD
    "Central African Republic",  // CF
    "Congo",  // CG
    "Switzerland",  // CH
    "Côte d'Ivoire",  // CI
    "Cook Islands",  // CK
    "Chile",  // CL
    "Cameroon",  // CM
    "China",  // CN
    "Colombia",  // CO
    "Costa Rica",  // CR
    "Cuba",  // CU
    "Cabo Verde",  // CV
    "Curaçao",  // CW
    "Christmas Island",  // CX
    "Cyprus",  // CY
    "Czechia",  // CZ
    "Germany",  // DE
    "Djibouti",  // DJ
    "Denmark",  // DK
    "Dominica",  // DM
    "Dominican Republic",  // DO
    "Algeria",  // DZ
    "Ecuador",  // EC
    "Estonia",  // EE
    "Egypt",  // EG
    "Western Sahara",  // EH
    "Eritrea",  // ER
    "Spain",  // ES
    "Ethiopia",  // ET
    "Finland",  // FI
    "Fiji",  // FJ
    "Falkland Islands (Malvinas)",  // FK
    "Micronesia",  // FM
    "Faroe Islands",  // FO
    "France",  // FR
    "Gabon",  // GA
    "United Kingdom",  // GB
    "Grenada",  // GD
    "Georgia",  // GE
    "French Guiana",  // GF
    "Guernsey",  // GG
    "Ghana",  // GH
    "Gibraltar",  // GI
    "Greenland",  // GL
    "Gambia",  // GM
    "Guinea",  // GN
    "Guadeloupe",  // GP
    "Equatorial Guinea",  // GQ
    "Greece",  // GR
    "South Georgia and the South Sandwich Islands",  // GS
    "Guatemala",  // GT
    "Guam",  // GU
    "Guinea-Bissau",  // GW
    "Guyana",  // GY
    "Hong Kong",  // HK
    "Heard Island and McDonald Islands",  // HM
    "Honduras",  // HN
    "Croatia",  // HR
    "Haiti",  // HT
    "Hungary",  // HU
    "Indonesia",  // ID
    "Ireland",  // IE
    "Israel",  // IL
    "Isle of Man",  // IM
    "India",  // IN
    "British Indian Ocean Territory",  // IO
    "Iraq",  // IQ
    "Iran",  // IR
    "Iceland",  // IS
    "Italy",  // IT
    "Jersey",  // JE
    "Jamaica",  // JM
    "Jordan",  // JO
    "Japan",  // JP
    "Kenya",  // KE
    "Kyrgyzstan",  // KG
    "Cambodia",  // KH
    "Kiribati",  // KI
    "Comoros",  // KM
    "Saint Kitts and Nevis",  // KN
    "North Korea",  // KP
    "South Korea",  // KR
    "Kuwait",  // KW
    "Cayman Islands",  // KY
    "Kazakhstan",  // KZ
    "Laos",  // LA
    "Lebanon",  // LB
    "Saint Lucia",  // LC
    "Liechtenstein",  // LI
    "Sri Lanka",  // LK
    "Liberia",  // LR
    "Lesotho",  // LS
    "Lithuania",  // LT
    "Luxembourg",  // LU
    "Latvia",  // LV
    "Libya",  // LY
    "Morocco",  // MA
    "Monaco",  // MC
    "Moldova",  // MD
    "Montenegro",  // ME
    "Saint Martin (French part)",  // MF
    "Madagascar",  // MG
    "Marshall Islands",  // MH
    "North Macedonia",  // MK
    "Mali",  // ML
    "Myanmar",  // MM
    "Mongolia",  // MN
    "Macao",  // MO
    "Northern Mariana Islands",  // MP
    "Martinique",  // MQ
    "Mauritania",  // MR
    "Montserrat",  // MS
    "Malta",  // MT
    "Mauritius",  // MU
    "Maldives",  // MV
    "Malawi",  // MW
    "Mexico",  // MX
    "Malaysia",  // MY
    "Mozambique",  // MZ
    "Namibia",  // NA
    "New Caledonia",  // NC
    "Niger",  // NE
    "Norfolk Island",  // NF
    "Nigeria",  // NG
    "Nicaragua",  // NI
    "Netherlands",  // NL
    "Norway",  // NO
    "Nepal",  // NP
    "Nauru",  // NR
    "Niue",  // NU
    "New Zealand",  // NZ
    "Oman",  // OM
    "Panama",  // PA
    "Peru",  // PE
    "French Polynesia",  // PF
    "Papua New Guinea",  // PG
    "Philippines",  // PH
    "Pakistan",  // PK
    "Poland",  // PL
    "Saint Pierre and Miquelon",  // PM
    "Pitcairn",  // PN
    "Puerto Rico",  // PR
    "Palestine",  // PS
    "Portugal",  // PT
    "Palau",  // PW
    "Paraguay",  // PY
    "Qatar",  // QA
    "Réunion",  // RE
    "Romania",  // RO
    "Serbia",  // RS
    "Russia",  // RU
    "Rwanda",  // RW
    "Saudi Arabia",  // SA
    "Solomon Islands",  // SB
    "Seychelles",  // SC
    "Sudan",  // SD
    "Sweden",  // SE
    "Singapore",  // SG
    "Saint Helena",  // SH
    "Slovenia",  // SI
    "Svalbard and Jan Mayen",  // SJ
    "Slovakia",  // SK
    "Sierra Leone",  // SL
    "San Marino",  // SM
    "Senegal",  // SN
    "Somalia",  // SO
    "Suriname",  // SR
    "South Sudan",  // SS
    "Sao Tome and Principe",  // ST
    "El Salvador",  // SV
    "Sint Maarten (Dutch part)",  // SX
    "Syria",  // SY
    "Eswatini",  // SZ
    "Tristan da Cunha",  // TA
    "Turks and Caicos Islands",  // TC
    "Chad",  // TD
    "French Southern Territories",  // TF
    "Togo",  // TG
    "Thailand",  // TH
    "Tajikistan",  // TJ
    "Tokelau",  // TK
    "Timor-Leste",  // TL
    "Turkmenistan",  // TM
    "Tunisia",  // TN
    "Tonga",  // TO
    "Türkiye",  // TR
    "Trinidad and Tobago",  // TT
    "Tuvalu",  // TV
    "Taiwan",  // TW
    "Tanzania",  // TZ
    "Ukraine",  // UA
    "Uganda",  // UG
    "United States Minor Outlying Islands",  // UM
    "United States",  // US
    "Uruguay",  // UY
    "Uzbekistan",  // UZ
    "Vatican City",  // VA
    "Saint Vincent and the Grenadines",  // VC
    "Venezuela",  // VE
    "British Virgin Islands",  // VG
    "U.S. Virgin Islands",  // VI
    "Vietnam",  // VN
    "Vanuatu",  // VU
    "Wallis and Futuna",  // WF
    "Samoa",  // WS
    "Kosovo",  // XK
    "Yemen",  // YE
    "Mayotte",  // YT
    "South Africa",  // ZA
    "Zambia",  // ZM
    "Zimbabwe",  // ZW
  ]
}
