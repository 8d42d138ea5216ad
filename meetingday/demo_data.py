"""Demo data for the mid-year briefing of HĐND thị xã Đức Phổ (from the 2024 plan)."""

# Groups of organisations, in display order: (key, name)
GROUPS: list[tuple[str, str]] = [
    ("town", "Cấp thị xã"),
    ("ward", "Phường"),
    ("commune", "Xã"),
]

# Organisations: dicts with key (ascii snake_case, unique), name (full Vietnamese name),
# short_name (short form used in tables), kind ("town" | "ward" | "commune"), group (a GROUPS key)
ORGANISATIONS: list[dict] = [
    # Cấp thị xã (mục II.2.a của Kế hoạch)
    {"key": "thi_uy", "name": "Thị ủy Đức Phổ", "short_name": "Thị ủy",
     "kind": "town", "group": "town"},
    {"key": "thuong_truc_hdnd", "name": "Thường trực HĐND thị xã", "short_name": "Thường trực HĐND",
     "kind": "town", "group": "town"},
    {"key": "ubnd", "name": "UBND thị xã Đức Phổ", "short_name": "UBND thị xã",
     "kind": "town", "group": "town"},
    {"key": "mttq", "name": "Ủy ban MTTQ Việt Nam thị xã Đức Phổ", "short_name": "UBMTTQVN thị xã",
     "kind": "town", "group": "town"},
    {"key": "ban_phap_che", "name": "Ban Pháp chế HĐND thị xã", "short_name": "Ban Pháp chế",
     "kind": "town", "group": "town"},
    {"key": "ban_kinh_te_xa_hoi", "name": "Ban Kinh tế - Xã hội HĐND thị xã",
     "short_name": "Ban Kinh tế - Xã hội", "kind": "town", "group": "town"},
    {"key": "to_dai_bieu", "name": "Tổ đại biểu HĐND thị xã", "short_name": "Tổ đại biểu",
     "kind": "town", "group": "town"},
    {"key": "van_phong", "name": "Văn phòng HĐND và UBND thị xã",
     "short_name": "Văn phòng HĐND và UBND", "kind": "town", "group": "town"},
    {"key": "trung_tam_ttvhtt", "name": "Trung tâm Truyền thông - Văn hóa - Thể thao thị xã",
     "short_name": "Trung tâm TT-VH-TT", "kind": "town", "group": "town"},
    # 8 phường
    {"key": "phuong_nguyen_nghiem", "name": "HĐND phường Nguyễn Nghiêm",
     "short_name": "Phường Nguyễn Nghiêm", "kind": "ward", "group": "ward"},
    {"key": "phuong_pho_hoa", "name": "HĐND phường Phổ Hòa", "short_name": "Phường Phổ Hòa",
     "kind": "ward", "group": "ward"},
    {"key": "phuong_pho_minh", "name": "HĐND phường Phổ Minh", "short_name": "Phường Phổ Minh",
     "kind": "ward", "group": "ward"},
    {"key": "phuong_pho_ninh", "name": "HĐND phường Phổ Ninh", "short_name": "Phường Phổ Ninh",
     "kind": "ward", "group": "ward"},
    {"key": "phuong_pho_quang", "name": "HĐND phường Phổ Quang", "short_name": "Phường Phổ Quang",
     "kind": "ward", "group": "ward"},
    {"key": "phuong_pho_thanh", "name": "HĐND phường Phổ Thạnh", "short_name": "Phường Phổ Thạnh",
     "kind": "ward", "group": "ward"},
    {"key": "phuong_pho_van", "name": "HĐND phường Phổ Văn", "short_name": "Phường Phổ Văn",
     "kind": "ward", "group": "ward"},
    {"key": "phuong_pho_vinh", "name": "HĐND phường Phổ Vinh", "short_name": "Phường Phổ Vinh",
     "kind": "ward", "group": "ward"},
    # 7 xã
    {"key": "xa_pho_an", "name": "HĐND xã Phổ An", "short_name": "Xã Phổ An",
     "kind": "commune", "group": "commune"},
    {"key": "xa_pho_chau", "name": "HĐND xã Phổ Châu", "short_name": "Xã Phổ Châu",
     "kind": "commune", "group": "commune"},
    {"key": "xa_pho_cuong", "name": "HĐND xã Phổ Cường", "short_name": "Xã Phổ Cường",
     "kind": "commune", "group": "commune"},
    {"key": "xa_pho_khanh", "name": "HĐND xã Phổ Khánh", "short_name": "Xã Phổ Khánh",
     "kind": "commune", "group": "commune"},
    {"key": "xa_pho_nhon", "name": "HĐND xã Phổ Nhơn", "short_name": "Xã Phổ Nhơn",
     "kind": "commune", "group": "commune"},
    {"key": "xa_pho_phong", "name": "HĐND xã Phổ Phong", "short_name": "Xã Phổ Phong",
     "kind": "commune", "group": "commune"},
    {"key": "xa_pho_thuan", "name": "HĐND xã Phổ Thuận", "short_name": "Xã Phổ Thuận",
     "kind": "commune", "group": "commune"},
]

# Invitees: dicts with name (full name, e.g. "Nguyễn Văn Công"), honorific ("Ông" or "Bà", matching the name),
# position (chức vụ, e.g. "Phó Chủ tịch HĐND thị xã"), org (an ORGANISATIONS key),
# category ("delegate" or "guest"), phone (str of 10 digits starting 09/03/07/08 or None)
# Names and phone numbers are invented (except the plan's signer, Nguyễn Văn Công).
INVITEES: list[dict] = [
    # --- Thường trực Thị ủy ---
    {"name": "Lê Quang Thịnh", "honorific": "Ông", "position": "Bí thư Thị ủy",
     "org": "thi_uy", "category": "guest", "phone": None},
    {"name": "Phạm Minh Trí", "honorific": "Ông", "position": "Phó Bí thư Thường trực Thị ủy",
     "org": "thi_uy", "category": "guest", "phone": None},
    # --- Thường trực HĐND thị xã ---
    {"name": "Võ Thanh Bình", "honorific": "Ông", "position": "Chủ tịch HĐND thị xã",
     "org": "thuong_truc_hdnd", "category": "delegate", "phone": "0905214367"},
    {"name": "Nguyễn Văn Công", "honorific": "Ông", "position": "Phó Chủ tịch HĐND thị xã",
     "org": "thuong_truc_hdnd", "category": "delegate", "phone": "0914538206"},
    {"name": "Đặng Thị Thu Hà", "honorific": "Bà", "position": "Phó Chủ tịch HĐND thị xã",
     "org": "thuong_truc_hdnd", "category": "delegate", "phone": "0935672418"},
    # --- UBND thị xã ---
    {"name": "Huỳnh Tấn Lực", "honorific": "Ông", "position": "Chủ tịch UBND thị xã",
     "org": "ubnd", "category": "guest", "phone": None},
    {"name": "Phan Thị Mỹ Linh", "honorific": "Bà", "position": "Phó Chủ tịch UBND thị xã",
     "org": "ubnd", "category": "guest", "phone": "0983145790"},
    # --- Ủy ban MTTQ Việt Nam thị xã ---
    {"name": "Bùi Văn Khải", "honorific": "Ông",
     "position": "Phó Chủ tịch Ủy ban MTTQ Việt Nam thị xã",
     "org": "mttq", "category": "guest", "phone": "0972806153"},
    # --- Các Ban của HĐND thị xã ---
    {"name": "Trần Đình Nghĩa", "honorific": "Ông", "position": "Trưởng Ban Pháp chế HĐND thị xã",
     "org": "ban_phap_che", "category": "delegate", "phone": "0913470628"},
    {"name": "Lương Thị Kim Oanh", "honorific": "Bà",
     "position": "Phó Trưởng Ban Pháp chế HĐND thị xã",
     "org": "ban_phap_che", "category": "delegate", "phone": "0356128904"},
    {"name": "Đỗ Quốc Việt", "honorific": "Ông",
     "position": "Trưởng Ban Kinh tế - Xã hội HĐND thị xã",
     "org": "ban_kinh_te_xa_hoi", "category": "delegate", "phone": "0988317462"},
    {"name": "Nguyễn Văn Hùng", "honorific": "Ông",
     "position": "Phó Trưởng Ban Kinh tế - Xã hội HĐND thị xã",
     "org": "ban_kinh_te_xa_hoi", "category": "delegate", "phone": None},
    # --- Tổ trưởng các Tổ đại biểu HĐND thị xã ---
    {"name": "Hồ Văn Lâm", "honorific": "Ông", "position": "Tổ trưởng Tổ đại biểu số 1",
     "org": "to_dai_bieu", "category": "delegate", "phone": "0397541286"},
    {"name": "Ngô Thị Hồng Nhung", "honorific": "Bà", "position": "Tổ trưởng Tổ đại biểu số 2",
     "org": "to_dai_bieu", "category": "delegate", "phone": "0763918240"},
    {"name": "Dương Minh Khoa", "honorific": "Ông", "position": "Tổ trưởng Tổ đại biểu số 3",
     "org": "to_dai_bieu", "category": "delegate", "phone": None},
    {"name": "Đinh Văn Tài", "honorific": "Ông", "position": "Tổ trưởng Tổ đại biểu số 4",
     "org": "to_dai_bieu", "category": "delegate", "phone": "0942687315"},
    {"name": "Lê Thị Thanh Tâm", "honorific": "Bà", "position": "Tổ trưởng Tổ đại biểu số 5",
     "org": "to_dai_bieu", "category": "delegate", "phone": "0868204571"},
    {"name": "Phạm Hữu Phước", "honorific": "Ông", "position": "Tổ trưởng Tổ đại biểu số 6",
     "org": "to_dai_bieu", "category": "delegate", "phone": None},
    # --- Văn phòng HĐND và UBND thị xã ---
    {"name": "Võ Tấn Dũng", "honorific": "Ông",
     "position": "Chánh Văn phòng HĐND và UBND thị xã",
     "org": "van_phong", "category": "delegate", "phone": "0905371826"},
    {"name": "Trần Thị Ngọc Ánh", "honorific": "Bà",
     "position": "Phó Chánh Văn phòng HĐND và UBND thị xã",
     "org": "van_phong", "category": "delegate", "phone": "0914062739"},
    {"name": "Nguyễn Văn Thanh", "honorific": "Ông",
     "position": "Phó Chánh Văn phòng HĐND và UBND thị xã",
     "org": "van_phong", "category": "delegate", "phone": None},
    {"name": "Lê Thị Mỹ Duyên", "honorific": "Bà",
     "position": "Chuyên viên Văn phòng HĐND và UBND thị xã",
     "org": "van_phong", "category": "delegate", "phone": "0335890247"},
    {"name": "Huỳnh Văn Bảo", "honorific": "Ông",
     "position": "Chuyên viên Văn phòng HĐND và UBND thị xã",
     "org": "van_phong", "category": "delegate", "phone": "0779462051"},
    {"name": "Phạm Thị Thu Trang", "honorific": "Bà",
     "position": "Chuyên viên Văn phòng HĐND và UBND thị xã",
     "org": "van_phong", "category": "delegate", "phone": "0384156920"},
    {"name": "Bùi Quang Huy", "honorific": "Ông",
     "position": "Chuyên viên Văn phòng HĐND và UBND thị xã",
     "org": "van_phong", "category": "delegate", "phone": None},
    # --- Trung tâm Truyền thông - Văn hóa - Thể thao thị xã ---
    {"name": "Đặng Văn Toàn", "honorific": "Ông",
     "position": "Giám đốc Trung tâm Truyền thông - Văn hóa - Thể thao thị xã",
     "org": "trung_tam_ttvhtt", "category": "guest", "phone": None},
    {"name": "Hồ Thị Diễm My", "honorific": "Bà",
     "position": "Phóng viên Trung tâm Truyền thông - Văn hóa - Thể thao thị xã",
     "org": "trung_tam_ttvhtt", "category": "guest", "phone": "0796253148"},

    # === Phường ===
    # --- Phường Nguyễn Nghiêm ---
    {"name": "Trần Văn Hiệp", "honorific": "Ông",
     "position": "Chủ tịch HĐND phường Nguyễn Nghiêm",
     "org": "phuong_nguyen_nghiem", "category": "delegate", "phone": "0905682134"},
    {"name": "Nguyễn Thị Lệ Thu", "honorific": "Bà",
     "position": "Phó Chủ tịch HĐND phường Nguyễn Nghiêm",
     "org": "phuong_nguyen_nghiem", "category": "delegate", "phone": "0977324180"},
    {"name": "Võ Đình Quý", "honorific": "Ông",
     "position": "Trưởng Ban Pháp chế HĐND phường Nguyễn Nghiêm",
     "org": "phuong_nguyen_nghiem", "category": "delegate", "phone": None},
    {"name": "Lê Văn Sang", "honorific": "Ông",
     "position": "Trưởng Ban Kinh tế - Xã hội HĐND phường Nguyễn Nghiêm",
     "org": "phuong_nguyen_nghiem", "category": "delegate", "phone": "0346718592"},
    # --- Phường Phổ Hòa ---
    {"name": "Phạm Văn Long", "honorific": "Ông", "position": "Chủ tịch HĐND phường Phổ Hòa",
     "org": "phuong_pho_hoa", "category": "delegate", "phone": "0935147260"},
    {"name": "Huỳnh Thị Kim Loan", "honorific": "Bà",
     "position": "Phó Chủ tịch HĐND phường Phổ Hòa",
     "org": "phuong_pho_hoa", "category": "delegate", "phone": "0915803627"},
    {"name": "Đỗ Minh Tiến", "honorific": "Ông",
     "position": "Trưởng Ban Kinh tế - Xã hội HĐND phường Phổ Hòa",
     "org": "phuong_pho_hoa", "category": "delegate", "phone": None},
    # --- Phường Phổ Minh ---
    {"name": "Nguyễn Văn Lộc", "honorific": "Ông", "position": "Chủ tịch HĐND phường Phổ Minh",
     "org": "phuong_pho_minh", "category": "delegate", "phone": "0982573014"},
    {"name": "Dương Công Thành", "honorific": "Ông",
     "position": "Phó Chủ tịch HĐND phường Phổ Minh",
     "org": "phuong_pho_minh", "category": "delegate", "phone": None},
    {"name": "Bùi Thị Hương", "honorific": "Bà",
     "position": "Trưởng Ban Pháp chế HĐND phường Phổ Minh",
     "org": "phuong_pho_minh", "category": "delegate", "phone": "0367240815"},
    {"name": "Phan Văn Nhân", "honorific": "Ông",
     "position": "Trưởng Ban Kinh tế - Xã hội HĐND phường Phổ Minh",
     "org": "phuong_pho_minh", "category": "delegate", "phone": "0708351694"},
    # --- Phường Phổ Ninh ---
    {"name": "Lê Tấn Hòa", "honorific": "Ông", "position": "Chủ tịch HĐND phường Phổ Ninh",
     "org": "phuong_pho_ninh", "category": "delegate", "phone": "0914726583"},
    {"name": "Võ Thị Thanh Xuân", "honorific": "Bà",
     "position": "Phó Chủ tịch HĐND phường Phổ Ninh",
     "org": "phuong_pho_ninh", "category": "delegate", "phone": "0945318076"},
    # --- Phường Phổ Quang ---
    {"name": "Đinh Quốc Hưng", "honorific": "Ông", "position": "Chủ tịch HĐND phường Phổ Quang",
     "org": "phuong_pho_quang", "category": "delegate", "phone": None},
    {"name": "Ngô Văn Thuận", "honorific": "Ông",
     "position": "Trưởng Ban Pháp chế HĐND phường Phổ Quang",
     "org": "phuong_pho_quang", "category": "delegate", "phone": "0399062753"},
    {"name": "Phạm Thị Hồng Vân", "honorific": "Bà",
     "position": "Trưởng Ban Kinh tế - Xã hội HĐND phường Phổ Quang",
     "org": "phuong_pho_quang", "category": "delegate", "phone": "0836415927"},
    # --- Phường Phổ Thạnh ---
    {"name": "Huỳnh Văn Tám", "honorific": "Ông", "position": "Chủ tịch HĐND phường Phổ Thạnh",
     "org": "phuong_pho_thanh", "category": "delegate", "phone": "0905936412"},
    {"name": "Nguyễn Văn Trung", "honorific": "Ông",
     "position": "Phó Chủ tịch HĐND phường Phổ Thạnh",
     "org": "phuong_pho_thanh", "category": "delegate", "phone": "0976150348"},
    {"name": "Lương Văn Định", "honorific": "Ông",
     "position": "Trưởng Ban Pháp chế HĐND phường Phổ Thạnh",
     "org": "phuong_pho_thanh", "category": "delegate", "phone": None},
    {"name": "Trần Thị Bích Ngọc", "honorific": "Bà",
     "position": "Trưởng Ban Kinh tế - Xã hội HĐND phường Phổ Thạnh",
     "org": "phuong_pho_thanh", "category": "delegate", "phone": "0328574106"},
    # --- Phường Phổ Văn ---
    {"name": "Phan Thanh Tùng", "honorific": "Ông", "position": "Chủ tịch HĐND phường Phổ Văn",
     "org": "phuong_pho_van", "category": "delegate", "phone": "0935820471"},
    {"name": "Đặng Thị Mai", "honorific": "Bà", "position": "Phó Chủ tịch HĐND phường Phổ Văn",
     "org": "phuong_pho_van", "category": "delegate", "phone": None},
    {"name": "Hồ Ngọc Thắng", "honorific": "Ông",
     "position": "Trưởng Ban Pháp chế HĐND phường Phổ Văn",
     "org": "phuong_pho_van", "category": "delegate", "phone": "0869437215"},
    # --- Phường Phổ Vinh ---
    {"name": "Võ Văn Hải", "honorific": "Ông", "position": "Chủ tịch HĐND phường Phổ Vinh",
     "org": "phuong_pho_vinh", "category": "delegate", "phone": "0918245607"},
    {"name": "Lê Thị Thu Hiền", "honorific": "Bà",
     "position": "Phó Chủ tịch HĐND phường Phổ Vinh",
     "org": "phuong_pho_vinh", "category": "delegate", "phone": "0387609132"},
    {"name": "Nguyễn Hữu Phúc", "honorific": "Ông",
     "position": "Trưởng Ban Pháp chế HĐND phường Phổ Vinh",
     "org": "phuong_pho_vinh", "category": "delegate", "phone": None},
    {"name": "Dương Văn Được", "honorific": "Ông",
     "position": "Trưởng Ban Kinh tế - Xã hội HĐND phường Phổ Vinh",
     "org": "phuong_pho_vinh", "category": "delegate", "phone": "0773542690"},

    # === Xã ===
    # --- Xã Phổ An ---
    {"name": "Phạm Văn Thạnh", "honorific": "Ông", "position": "Chủ tịch HĐND xã Phổ An",
     "org": "xa_pho_an", "category": "delegate", "phone": "0905418253"},
    {"name": "Trần Thị Kim Cúc", "honorific": "Bà", "position": "Phó Chủ tịch HĐND xã Phổ An",
     "org": "xa_pho_an", "category": "delegate", "phone": "0947285160"},
    {"name": "Đỗ Văn Lợi", "honorific": "Ông",
     "position": "Trưởng Ban Pháp chế HĐND xã Phổ An",
     "org": "xa_pho_an", "category": "delegate", "phone": None},
    {"name": "Huỳnh Thị Phương", "honorific": "Bà",
     "position": "Trưởng Ban Kinh tế - Xã hội HĐND xã Phổ An",
     "org": "xa_pho_an", "category": "delegate", "phone": "0352967481"},
    # --- Xã Phổ Châu ---
    {"name": "Bùi Tấn Vũ", "honorific": "Ông", "position": "Chủ tịch HĐND xã Phổ Châu",
     "org": "xa_pho_chau", "category": "delegate", "phone": "0984732056"},
    {"name": "Ngô Quang Vinh", "honorific": "Ông", "position": "Phó Chủ tịch HĐND xã Phổ Châu",
     "org": "xa_pho_chau", "category": "delegate", "phone": None},
    {"name": "Phan Văn Hoàng", "honorific": "Ông",
     "position": "Trưởng Ban Pháp chế HĐND xã Phổ Châu",
     "org": "xa_pho_chau", "category": "delegate", "phone": "0374185629"},
    {"name": "Nguyễn Thị Hoa", "honorific": "Bà",
     "position": "Trưởng Ban Kinh tế - Xã hội HĐND xã Phổ Châu",
     "org": "xa_pho_chau", "category": "delegate", "phone": "0826903714"},
    # --- Xã Phổ Cường ---
    {"name": "Lê Minh Quân", "honorific": "Ông", "position": "Chủ tịch HĐND xã Phổ Cường",
     "org": "xa_pho_cuong", "category": "delegate", "phone": "0935264819"},
    {"name": "Võ Văn Lành", "honorific": "Ông", "position": "Phó Chủ tịch HĐND xã Phổ Cường",
     "org": "xa_pho_cuong", "category": "delegate", "phone": "0916570342"},
    {"name": "Đinh Thị Hạnh", "honorific": "Bà",
     "position": "Trưởng Ban Pháp chế HĐND xã Phổ Cường",
     "org": "xa_pho_cuong", "category": "delegate", "phone": None},
    {"name": "Trần Quốc Khánh", "honorific": "Ông",
     "position": "Trưởng Ban Kinh tế - Xã hội HĐND xã Phổ Cường",
     "org": "xa_pho_cuong", "category": "delegate", "phone": None},
    # --- Xã Phổ Khánh ---
    {"name": "Hồ Văn Mười", "honorific": "Ông", "position": "Chủ tịch HĐND xã Phổ Khánh",
     "org": "xa_pho_khanh", "category": "delegate", "phone": "0979816253"},
    {"name": "Phan Thị Liên", "honorific": "Bà", "position": "Phó Chủ tịch HĐND xã Phổ Khánh",
     "org": "xa_pho_khanh", "category": "delegate", "phone": "0398247150"},
    # --- Xã Phổ Nhơn ---
    {"name": "Dương Tấn Phong", "honorific": "Ông", "position": "Chủ tịch HĐND xã Phổ Nhơn",
     "org": "xa_pho_nhon", "category": "delegate", "phone": "0905127836"},
    {"name": "Nguyễn Văn Tường", "honorific": "Ông",
     "position": "Phó Chủ tịch HĐND xã Phổ Nhơn",
     "org": "xa_pho_nhon", "category": "delegate", "phone": None},
    {"name": "Lương Thị Mỹ Dung", "honorific": "Bà",
     "position": "Trưởng Ban Pháp chế HĐND xã Phổ Nhơn",
     "org": "xa_pho_nhon", "category": "delegate", "phone": "0789034615"},
    {"name": "Phạm Ngọc Ân", "honorific": "Ông",
     "position": "Trưởng Ban Kinh tế - Xã hội HĐND xã Phổ Nhơn",
     "org": "xa_pho_nhon", "category": "delegate", "phone": None},
    # --- Xã Phổ Phong ---
    {"name": "Đặng Văn Sỹ", "honorific": "Ông", "position": "Chủ tịch HĐND xã Phổ Phong",
     "org": "xa_pho_phong", "category": "delegate", "phone": "0912608475"},
    {"name": "Bùi Thị Thanh Thủy", "honorific": "Bà",
     "position": "Phó Chủ tịch HĐND xã Phổ Phong",
     "org": "xa_pho_phong", "category": "delegate", "phone": "0363751208"},
    {"name": "Huỳnh Minh Nhật", "honorific": "Ông",
     "position": "Trưởng Ban Pháp chế HĐND xã Phổ Phong",
     "org": "xa_pho_phong", "category": "delegate", "phone": None},
    {"name": "Trần Văn Tín", "honorific": "Ông",
     "position": "Trưởng Ban Kinh tế - Xã hội HĐND xã Phổ Phong",
     "org": "xa_pho_phong", "category": "delegate", "phone": "0854192630"},
    # --- Xã Phổ Thuận ---
    {"name": "Ngô Đình Khôi", "honorific": "Ông", "position": "Chủ tịch HĐND xã Phổ Thuận",
     "org": "xa_pho_thuan", "category": "delegate", "phone": "0986425301"},
    {"name": "Lê Thị Ngọc Trâm", "honorific": "Bà",
     "position": "Phó Chủ tịch HĐND xã Phổ Thuận",
     "org": "xa_pho_thuan", "category": "delegate", "phone": "0934508126"},
    {"name": "Võ Hữu Thọ", "honorific": "Ông",
     "position": "Trưởng Ban Pháp chế HĐND xã Phổ Thuận",
     "org": "xa_pho_thuan", "category": "delegate", "phone": None},
    {"name": "Đỗ Thị Kim Yến", "honorific": "Bà",
     "position": "Trưởng Ban Kinh tế - Xã hội HĐND xã Phổ Thuận",
     "org": "xa_pho_thuan", "category": "delegate", "phone": "0703268947"},
]

# Kiến nghị (recommendations) sent by communes before the meeting: dicts with
# org (a ward/commune ORGANISATIONS key), content (1-3 sentences, realistic; {year} and {last_year} are the
# demo meeting's year and the one before), assigned (key of a Ban organisation)
KIEN_NGHI: list[dict] = [
    {
        "org": "xa_pho_khanh",
        "content": (
            "Kinh phí hoạt động của HĐND xã năm {year} được bố trí thấp, không đủ chi cho các "
            "cuộc giám sát, khảo sát và tiếp xúc cử tri theo kế hoạch. Đề nghị Thường trực "
            "HĐND thị xã kiến nghị UBND thị xã xem xét bổ sung kinh phí hoạt động cho HĐND cấp xã."
        ),
        "assigned": "ban_kinh_te_xa_hoi",
    },
    {
        "org": "phuong_pho_thanh",
        "content": (
            "Đề nghị hướng dẫn cụ thể việc chi trả chế độ, chính sách cho đại biểu HĐND phường "
            "hoạt động kiêm nhiệm, nhất là mức hỗ trợ khi tham gia giám sát, tiếp xúc cử tri "
            "theo Nghị quyết của HĐND tỉnh."
        ),
        "assigned": "ban_kinh_te_xa_hoi",
    },
    {
        "org": "xa_pho_an",
        "content": (
            "Đề nghị Ban Pháp chế HĐND thị xã hướng dẫn quy trình, biểu mẫu tổ chức giám sát "
            "chuyên đề của HĐND xã, nhất là khâu xây dựng báo cáo kết quả giám sát và theo dõi "
            "việc thực hiện kiến nghị sau giám sát."
        ),
        "assigned": "ban_phap_che",
    },
    {
        "org": "phuong_nguyen_nghiem",
        "content": (
            "Một số kiến nghị của cử tri tại các buổi tiếp xúc cử tri trước kỳ họp cuối năm {last_year} "
            "về cấp giấy chứng nhận quyền sử dụng đất và sửa chữa hệ thống thoát nước đô thị "
            "chưa được trả lời. Đề nghị Thường trực HĐND thị xã đôn đốc các cơ quan chuyên môn "
            "của UBND thị xã giải quyết, trả lời cử tri."
        ),
        "assigned": "ban_kinh_te_xa_hoi",
    },
    {
        "org": "xa_pho_chau",
        "content": (
            "Đề nghị hướng dẫn trình tự, thủ tục thẩm tra và ban hành nghị quyết của HĐND xã, "
            "nhất là các nghị quyết cá biệt về kế hoạch đầu tư công trung hạn và điều chỉnh dự "
            "toán ngân sách xã."
        ),
        "assigned": "ban_phap_che",
    },
    {
        "org": "phuong_pho_vinh",
        "content": (
            "Sau khi sáp nhập các tổ dân phố, địa bàn ứng cử của một số đại biểu HĐND phường đã "
            "thay đổi. Đề nghị hướng dẫn việc phân công lại tổ đại biểu và địa bàn tiếp xúc cử "
            "tri cho phù hợp với quy định về sắp xếp đơn vị hành chính."
        ),
        "assigned": "ban_phap_che",
    },
    {
        "org": "xa_pho_cuong",
        "content": (
            "Nhiều đại biểu HĐND xã tham gia lần đầu còn lúng túng khi chất vấn tại kỳ họp. Đề "
            "nghị HĐND thị xã tổ chức tập huấn kỹ năng chất vấn, thảo luận và giám sát cho đại "
            "biểu HĐND cấp xã trong 6 tháng cuối năm {year}."
        ),
        "assigned": "ban_phap_che",
    },
    {
        "org": "phuong_pho_quang",
        "content": (
            "Đề nghị Ban Kinh tế - Xã hội HĐND thị xã phối hợp với HĐND phường khi giám sát các "
            "công trình đầu tư công trên địa bàn phường, tránh chồng chéo về nội dung và thời "
            "gian giám sát."
        ),
        "assigned": "ban_kinh_te_xa_hoi",
    },
]
