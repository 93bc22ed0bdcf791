window.YTD.following.part0 = []
