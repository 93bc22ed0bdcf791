window.YTD.follower.part0 = [
  {
    "follower" : {
      "accountId" : "12",
      "userLink" : "https://twitter.com/intent/user?user_id=12"
    }
  },
  {
    "follower" : {
      "accountId" : "99887766",
      "userLink" : "https://twitter.com/intent/user?user_id=99887766"
    }
  }
]
