def test_a_done_toast_is_short_enough_never_to_fold_behind_view_more():
    from streamlit.testing.v1 import AppTest

    def page():
        import appkit

        appkit.toast_done(
            "Đã ghi nhớ: «BKCTT» trong danh sách khen thưởng là «Bằng khen của Chủ tịch UBND tỉnh» cho mọi lần "
            "tải sau, ở mọi đơn vị gửi. Xem ở trang Quản trị."
        )

    at = AppTest.from_function(page).run()
    (toast,) = at.toast
    shown = toast.value.replace("\\", "")  # markdown escapes
    assert shown.endswith("…") and len(shown) <= 100 and shown.startswith("Đã ghi nhớ: «BKCTT»")
    assert toast.icon == ":material/check_circle:"
