window.YTD.following.part1 = [
  {
    "following" : {
      "accountId" : "2244994945",
      "userLink" : "https://twitter.com/intent/user?user_id=2244994945"
    }
  }
]
