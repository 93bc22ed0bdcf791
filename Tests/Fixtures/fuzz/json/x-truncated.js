window.YTD.follower.part0 = [
  {
    "follower" : {
      "accountId" : "11",
      "userLink" : "https://twitter.com/intent/user?user_id=11"
    }
  },
  {
    "follower" : {
      "accountId" : "22",
      "userLi