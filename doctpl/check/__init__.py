"""Reading a .docx back with its effective formatting, for tests now and the NĐ 30 checker later."""
